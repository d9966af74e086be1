package io.jarnn.kernels;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernel choice is visible, honours the system properties (so that the surefire executions
 * with {@code -Djarnn.vectorBits=256|128} really exercise the narrower species: this class runs
 * in each of them, and a benchmark can tell what it measures), says why whenever the vector
 * kernels are not used, and turns a bad property value into a one-line error on every
 * {@link Kernels#active()} rather than a failed class initialisation. The selection function
 * is tested directly; a few child JVMs check what only a fresh JVM can show.
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
        // Judged on the lanes of the 32-bit species in both precisions: the line below is the same in the twin.
        int floatLanes = VectorLanes.FLOATS.length(); //f64: int floatLanes = VectorLanes.FLOATS.length();
        Kernels expected = switch (requested) {
            case "scalar" -> ScalarKernels.INSTANCE;
            case "vector" -> VectorKernels.INSTANCE;
            default -> floatLanes >= 4 ? VectorKernels.INSTANCE : ScalarKernels.INSTANCE;
        };
        assertSame(expected, Kernels.active(), "Kernels.active() with -D" + KernelSelection.PROPERTY + "=" + requested
                + " and " + floatLanes + " 32-bit lanes, got " + Kernels.active().name());
    }

    @Test
    void autoChoosesVectorWithoutComplaintWhenEverythingIsThere() {
        for (String kernels : new String[] {null, "auto", "", " AUTO "}) {
            KernelSelection.Choice c = KernelSelection.choose(kernels, null, true, 16, null);
            assertTrue(c.useVector(), "-Djarnn.kernels=" + kernels);
            assertNull(c.reason(), "no warning for -Djarnn.kernels=" + kernels);
        }
        assertTrue(KernelSelection.choose(null, "128", true, 4, null).useVector(), "4 lanes suffice");
        assertTrue(KernelSelection.choose("Vector", null, true, 2, "C2 is off").useVector(),
                "a forced vector wins over lanes and JIT");
    }

    @Test
    void everyReasonForScalarIsGiven() {
        assertScalarBecause(KernelSelection.choose("scalar", null, true, 16, null), "-Djarnn.kernels=scalar");
        assertScalarBecause(KernelSelection.choose(null, null, false, 0, null),
                "jdk.incubator.vector is not readable", "--add-modules=jdk.incubator.vector");
        assertScalarBecause(KernelSelection.choose(null, "64", true, 2, null), "2 lanes, fewer than 4", "-Djarnn.vectorBits=64");
        assertScalarBecause(KernelSelection.choose(null, null, true, 2, null), "2 lanes, fewer than 4");
        assertScalarBecause(KernelSelection.choose(null, null, true, 16, "C2 is off (-XX:TieredStopAtLevel=1)"),
                "C2 is off (-XX:TieredStopAtLevel=1)");
    }

    private static void assertScalarBecause(KernelSelection.Choice c, String... reasonParts) {
        assertFalse(c.useVector(), "expected scalar because " + String.join(", ", reasonParts));
        for (String part : reasonParts) {
            assertTrue(c.reason() != null && c.reason().contains(part), "reason '" + c.reason() + "' should say '" + part + "'");
        }
    }

    @Test
    void badValuesFailEveryTimeWithOneLineNamingPropertyExpectedAndGot() {
        assertFailsEachTime(KernelSelection.choose("vectr", null, true, 16, null),
                "-Djarnn.kernels", "expected scalar, vector or auto", "'vectr'");
        assertFailsEachTime(KernelSelection.choose(null, "100", true, 16, null),
                "-Djarnn.vectorBits", "expected 64, 128, 256 or 512", "'100'");
        assertFailsEachTime(KernelSelection.choose("scalar", "wide", true, 16, null),
                "-Djarnn.vectorBits", "expected 64, 128, 256 or 512", "'wide'");
        assertFailsEachTime(KernelSelection.choose("vector", null, false, 0, null),
                "-Djarnn.kernels=vector", "--add-modules=jdk.incubator.vector");
    }

    private static void assertFailsEachTime(KernelSelection.Choice c, String... messageParts) {
        IllegalStateException first = assertThrows(IllegalStateException.class, c::useVector);
        IllegalStateException second = assertThrows(IllegalStateException.class, c::useVector, "asked again");
        assertNotSame(first, second, "a fresh exception for each call");
        String message = first.getMessage();
        assertTrue(!message.contains("\n"), "one line: " + message);
        for (String part : messageParts) {
            assertTrue(message.contains(part), "message '" + message + "' should say '" + part + "'");
        }
    }

    /** Asks Kernels.active() twice in a fresh JVM and prints the outcomes: see {@link #inFreshJvm}. */
    static final class Probe {
        public static void main(String[] args) {
            for (int i = 0; i < 2; i++) {
                try {
                    System.out.println("active " + Kernels.active().name());
                } catch (Throwable t) {
                    System.out.println("threw " + t.getClass().getName() + ": " + t.getMessage());
                }
            }
        }
    }

    @Test
    void aFreshJvmFailsOnBadValuesAndWarnsOnceOtherwise() throws Exception {
        Run badBits = inFreshJvm(true, "-Djarnn.vectorBits=100");
        String error = "threw java.lang.IllegalStateException: -Djarnn.vectorBits: expected 64, 128, 256 or 512 but got '100'";
        assertEquals(List.of(error, error), badBits.out(), "bad -Djarnn.vectorBits; stderr: " + badBits.err());

        Run badKernels = inFreshJvm(true, "-Djarnn.kernels=fast");
        error = "threw java.lang.IllegalStateException: -Djarnn.kernels: expected scalar, vector or auto but got 'fast'";
        assertEquals(List.of(error, error), badKernels.out(), "bad -Djarnn.kernels; stderr: " + badKernels.err());

        assertWarnsOnceForScalar(inFreshJvm(true, "-Djarnn.kernels=scalar"), "forced by -Djarnn.kernels=scalar");
        assertWarnsOnceForScalar(inFreshJvm(false), "the module jdk.incubator.vector is not readable");
        assertWarnsOnceForScalar(inFreshJvm(true, "-XX:TieredStopAtLevel=1"), "C2 is off (-XX:TieredStopAtLevel=1)");
    }

    private static void assertWarnsOnceForScalar(Run run, String reason) {
        assertEquals(List.of("active scalar", "active scalar"), run.out(), "stderr: " + run.err());
        String warning = "WARNING: jarnn kernels: scalar, not vector: " + reason;
        int count = run.err().split(java.util.regex.Pattern.quote(warning), -1).length - 1;
        assertEquals(1, count, "'" + warning + "' in stderr:\n" + run.err());
    }

    record Run(List<String> out, String err) {
    }

    private static Run inFreshJvm(boolean vectorModule, String... jvmArgs)
            throws IOException, InterruptedException, URISyntaxException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (vectorModule) {
            command.add("--add-modules=jdk.incubator.vector");
        }
        command.addAll(List.of(jvmArgs));
        command.add("-cp");
        command.add(codeLocation(KernelSelectionTest.class) + java.io.File.pathSeparator + codeLocation(Kernels.class));
        command.add(Probe.class.getName());
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM " + command);
        return new Run(new String(out, StandardCharsets.UTF_8).lines().toList(), new String(err, StandardCharsets.UTF_8));
    }

    private static String codeLocation(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
