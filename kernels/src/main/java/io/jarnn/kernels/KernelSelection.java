package io.jarnn.kernels;

import java.util.Locale;

/**
 * Picks the {@link Kernels} implementation once per JVM. {@code -Djarnn.kernels=scalar|vector}
 * forces one (default {@code auto}: vector whenever the module jdk.incubator.vector is readable,
 * its float species has at least 4 lanes and C2 compiles, since the Vector API without C2 boxes
 * every vector); the choice is visible through {@link Kernels#active()}{@code .name()} so that a
 * benchmark can print (and check) what it measures. Whenever the vector kernels are not used,
 * the reason is logged once, at WARNING, to the System.Logger {@code io.jarnn.kernels}.
 *
 * <p>Nothing here throws while classes initialise: an invalid {@code -Djarnn.kernels} or
 * {@code -Djarnn.vectorBits} makes every {@link Kernels#active()} throw an
 * {@link IllegalStateException} with a one-line message, instead of one
 * {@code ExceptionInInitializerError} followed by {@code NoClassDefFoundError}s.
 *
 * <p>One choice for both precisions: {@link Kernels#active()} and its float64 twin
 * {@code Kernels64.active()} are both vector or both scalar, for the same reason, logged once.
 * It is made on the float species; the double species has the same width (half the lanes,
 * see {@link VectorLanes}), so a width worth vectorising in float is used in double too.
 */
final class KernelSelection {
    static final String PROPERTY = "jarnn.kernels";
    static final String VECTOR_MODULE = "jdk.incubator.vector";
    /** The vector kernels need at least this many float lanes to pay off. */
    static final int MIN_LANES = 4;

    private KernelSelection() {
    }

    /**
     * This JVM's choice, made when first asked. In a holder of its own so that
     * {@link VectorLanes}, which parses its property with {@link #vectorBits}, does not
     * initialise it from its own initialiser (which would read a species not yet set).
     */
    static final class Active {
        static final Choice CHOICE = chooseForThisJvm();

        private Active() {
        }
    }

    /**
     * The outcome of a selection: the vector kernels or the scalar ones, with the reason they
     * are not the vector kernels ({@code null} when they are, by default), or the error of an
     * invalid configuration. A choice of implementation, not an instance, so that both
     * precisions follow it and only the chosen classes are loaded.
     */
    record Choice(boolean vector, String reason, String error) {
        static Choice vectorKernels() {
            return new Choice(true, null, null);
        }

        static Choice scalarKernels(String reason) {
            return new Choice(false, reason, null);
        }

        static Choice invalid(String error) {
            return new Choice(false, null, error);
        }

        /** Whether the vector kernels are chosen; a new IllegalStateException with the error on each call if the configuration is invalid. */
        boolean useVector() {
            if (error != null) {
                throw new IllegalStateException(error);
            }
            return vector;
        }
    }

    /**
     * The selection as a function of its inputs, so it can be tested without restarting the JVM.
     *
     * @param kernels        the value of -Djarnn.kernels, or null
     * @param vectorBits     the value of -Djarnn.vectorBits, or null
     * @param moduleReadable whether jdk.incubator.vector is in the boot layer and readable here
     * @param lanes          float lanes of the species the vector kernels would use (ignored when
     *                       the module is not readable)
     * @param jitProblem     why C2 does not compile this JVM's code, or null when it does
     */
    static Choice choose(String kernels, String vectorBits, boolean moduleReadable, int lanes, String jitProblem) {
        String bitsError = vectorBitsError(vectorBits);
        if (bitsError != null) {
            return Choice.invalid(bitsError);
        }
        String requested = kernels == null ? "auto" : kernels.trim().toLowerCase(Locale.ROOT);
        String notReadable = "the module " + VECTOR_MODULE + " is not readable (run java with --add-modules="
                + VECTOR_MODULE + ")";
        return switch (requested) {
            case "scalar" -> Choice.scalarKernels("forced by -D" + PROPERTY + "=scalar");
            case "vector" -> moduleReadable ? Choice.vectorKernels()
                    : Choice.invalid("-D" + PROPERTY + "=vector, but " + notReadable);
            case "auto", "" -> {
                if (!moduleReadable) {
                    yield Choice.scalarKernels(notReadable);
                }
                if (lanes < MIN_LANES) {
                    yield Choice.scalarKernels("the float vectors have " + lanes + " lanes, fewer than "
                            + MIN_LANES + (vectorBits == null ? "" : " (-D" + VectorLanes.PROPERTY + "=" + vectorBits + ")"));
                }
                if (jitProblem != null) {
                    yield Choice.scalarKernels(jitProblem);
                }
                yield Choice.vectorKernels();
            }
            default -> Choice.invalid("-D" + PROPERTY + ": expected scalar, vector or auto but got '" + kernels + "'");
        };
    }

    /** The bit size a -Djarnn.vectorBits value asks for, 0 for none (null or empty), -1 if invalid. */
    static int vectorBits(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        return switch (value.trim()) {
            case "64" -> 64;
            case "128" -> 128;
            case "256" -> 256;
            case "512" -> 512;
            default -> -1;
        };
    }

    private static String vectorBitsError(String value) {
        return vectorBits(value) >= 0 ? null
                : "-D" + VectorLanes.PROPERTY + ": expected 64, 128, 256 or 512 but got '" + value + "'";
    }

    private static Choice chooseForThisJvm() {
        String kernels = System.getProperty(PROPERTY);
        String vectorBits = System.getProperty(VectorLanes.PROPERTY);
        boolean readable = vectorModuleReadable();
        // VectorLanes is touched only when its module is there: loading it would fail otherwise.
        int lanes = readable ? VectorLanes.FLOATS.length() : 0;
        Choice choice = choose(kernels, vectorBits, readable, lanes, jitProblem());
        if (choice.reason() != null) {
            System.getLogger("io.jarnn.kernels").log(System.Logger.Level.WARNING,
                    "jarnn kernels: scalar, not vector: " + choice.reason());
        }
        return choice;
    }

    private static boolean vectorModuleReadable() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE)
                .map(KernelSelection.class.getModule()::canRead).orElse(false);
    }

    /** Why C2 does not compile here (interpreter only, or tiered compilation stopped below C2), or null. */
    private static String jitProblem() {
        if (System.getProperty("java.vm.info", "").contains("interpreted mode")) {
            return "the JVM runs interpreted (-Xint), where every vector is a boxed object";
        }
        if ("false".equals(vmOption("UseCompiler"))) {
            return "the JIT is off (-XX:-UseCompiler), where every vector is a boxed object";
        }
        String stopAt = vmOption("TieredStopAtLevel");
        if ("true".equals(vmOption("TieredCompilation")) && stopAt != null && !stopAt.equals("4")) {
            return "C2 is off (-XX:TieredStopAtLevel=" + stopAt + "), and without it every vector is a boxed object";
        }
        return null;
    }

    /**
     * A HotSpot flag's value, or null where it cannot be read (not HotSpot, or jdk.management
     * not in the boot layer). Through reflection so that this module need not require
     * jdk.management; core reflection does not need the readability edge.
     */
    private static String vmOption(String name) {
        try {
            Class<?> beanType = Class.forName("com.sun.management.HotSpotDiagnosticMXBean");
            Object bean = Class.forName("java.lang.management.ManagementFactory")
                    .getMethod("getPlatformMXBean", Class.class).invoke(null, beanType);
            Object option = beanType.getMethod("getVMOption", String.class).invoke(bean, name);
            return (String) Class.forName("com.sun.management.VMOption").getMethod("getValue").invoke(option);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }
}
