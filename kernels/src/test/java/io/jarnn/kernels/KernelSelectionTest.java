package io.jarnn.kernels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The kernel choice is visible and honours the system properties, so that the surefire
 * executions with {@code -Djarnn.vectorBits=256|128} really exercise the narrower species
 * (this class runs in each of them) and a benchmark can tell what it measures.
 */
class KernelSelectionTest {

    @Test
    void namesTellTheImplementationsApart() {
        assertEquals("scalar", ScalarKernels.INSTANCE.name());
        int bits = VectorLanes.FLOATS.vectorBitSize();
        int lanes = VectorLanes.FLOATS.length();
        assertEquals("vector(" + bits + "-bit, " + lanes + " lanes)", VectorKernels.INSTANCE.name());
        assertEquals(bits / Float.SIZE, lanes, "lanes of a " + bits + "-bit float species");
    }

    @Test
    void vectorBitsPropertySetsTheSpecies() {
        Integer requested = Integer.getInteger(VectorLanes.PROPERTY);
        int expectedBits = requested == null ? jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize() : requested;
        assertEquals(expectedBits, VectorLanes.FLOATS.vectorBitSize(),
                "species bits with -D" + VectorLanes.PROPERTY + "=" + requested);
    }

    @Test
    void c2OnlyExecutionReallyRunsWithoutTieredCompilation() throws ReflectiveOperationException {
        // Set by the kernel-equivalence-c2-only execution in kernels/pom.xml: if its JVM flags were
        // lost (a typo, an overriding argLine) the equivalence tests would silently run tiered.
        if ("c2-only".equals(System.getProperty("jarnn.test.jit"))) {
            assertEquals("false", vmOption("TieredCompilation"), "-XX:-TieredCompilation");
            assertEquals("false", vmOption("BackgroundCompilation"), "-Xbatch");
        }
    }

    /**
     * A HotSpot flag's value. Through reflection because test classes are compiled into the
     * io.jarnn.kernels module, which does not read jdk.management; they run on the class path,
     * where everything is readable.
     */
    private static String vmOption(String name) throws ReflectiveOperationException {
        Class<?> beanType = Class.forName("com.sun.management.HotSpotDiagnosticMXBean");
        Object bean = Class.forName("java.lang.management.ManagementFactory")
                .getMethod("getPlatformMXBean", Class.class).invoke(null, beanType);
        Object option = beanType.getMethod("getVMOption", String.class).invoke(bean, name);
        return (String) Class.forName("com.sun.management.VMOption").getMethod("getValue").invoke(option);
    }

    @Test
    void activeKernelsFollowThePropertyOrTheLaneCount() {
        String requested = System.getProperty(KernelSelection.PROPERTY, "auto");
        Kernels expected = switch (requested) {
            case "scalar" -> ScalarKernels.INSTANCE;
            case "vector" -> VectorKernels.INSTANCE;
            default -> VectorLanes.FLOATS.length() >= 4 ? VectorKernels.INSTANCE : ScalarKernels.INSTANCE;
        };
        assertSame(expected, Kernels.active(), "Kernels.active() with -D" + KernelSelection.PROPERTY + "=" + requested
                + " and " + VectorLanes.FLOATS.length() + " lanes, got " + Kernels.active().name());
    }
}
