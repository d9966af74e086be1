package io.jarnn.properties;

import org.quicktheories.QuickTheory;
import org.quicktheories.api.AsString;
import org.quicktheories.core.Reporter;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * Seeds, tries and failure reports for every property of this suite. Each property is a plain
 * JUnit 5 {@code @Test} that starts with {@code SuiteRunMode.qt(tries)}: a QuickTheories
 * {@link QuickTheory} configured for the property that calls it.
 *
 * <ul>
 *   <li>Default (CI): a fixed seed per property, derived from {@link #BASE_SEED} and the
 *       property's name, and its tries: every run generates the same cases, so a CI failure
 *       reproduces locally.</li>
 *   <li>{@code -Djarnn.deep=true}: a random seed per property and {@code -Djarnn.deep.factor}
 *       (default 10) times the tries.</li>
 *   <li>{@code -Djarnn.seed=N}: seed N for the properties run, in either mode, to replay a
 *       failure; the failure message prints the seed and the command line.</li>
 * </ul>
 */
public final class SuiteRunMode {
    public static final String DEEP = "jarnn.deep";
    public static final String DEEP_FACTOR = "jarnn.deep.factor";
    public static final String SEED = "jarnn.seed";
    /** Shrinking reruns the property on smaller cases; this bounds its time on a failure. */
    public static final String SHRINKS = "jarnn.shrinks";
    static final long BASE_SEED = 20_251_125L;

    private SuiteRunMode() {
    }

    /** Whether this is a deep run ({@code -Djarnn.deep=true}). */
    static boolean deep() {
        return Boolean.getBoolean(DEEP);
    }

    /** The examples a property of {@code tries} tries runs in this mode. */
    static int examples(int tries) {
        // An example (one try) stays an example.
        return deep() && tries > 1 ? Math.multiplyExact(tries, Integer.getInteger(DEEP_FACTOR, 10)) : tries;
    }

    /**
     * A QuickTheory for the calling test method: its seed, {@code tries} examples (times the
     * deep factor in a deep run) and a reporter that says how to replay a failure.
     */
    static QuickTheory qt(int tries) {
        StackWalker.StackFrame caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .walk(frames -> frames.skip(1).findFirst()).orElseThrow();
        String testClass = caller.getDeclaringClass().getSimpleName();
        String property = testClass + "." + caller.getMethodName();
        String forcedSeed = System.getProperty(SEED, "").trim();
        long seed = !forcedSeed.isEmpty() ? Long.parseLong(forcedSeed)
                : deep() ? ThreadLocalRandom.current().nextLong() : fixedSeed(property);
        return QuickTheory.qt()
                .withFixedSeed(seed)
                .withExamples(examples(tries))
                .withShrinkCycles(Integer.getInteger(SHRINKS, 500))
                .withReporter(new ReplayReporter(testClass, caller.getMethodName()));
    }

    /**
     * A property with its precision, e.g. {@code "LogPsiProperties64.logPsiIs... (float64)"}: the
     * float64 twins that codegen/PrecisionTwins.java writes are the classes whose names end in 64.
     */
    static String describe(String testClass, String method) {
        return testClass + "." + method + (testClass.endsWith("64") ? " (float64)" : " (float32)");
    }

    /** Stable across JVMs and machines: String.hashCode is specified. */
    static long fixedSeed(String propertyName) {
        return BASE_SEED * 31 + propertyName.hashCode();
    }

    /**
     * Reports a falsified property as an {@link AssertionError} whose message gives the smallest
     * counterexample, the seed and the command line that replays it; the property's own failure
     * (with its message naming the shape, index and values) is the cause.
     */
    private record ReplayReporter(String testClass, String method) implements Reporter {
        @Override
        public void falisification(long seed, int examples, Object smallest, Throwable cause, List<Object> others,
                                   AsString<Object> asString) {
            throw new AssertionError(message(seed, examples, smallest, others, asString)
                    + "\nFailure: " + cause.getMessage() + "\n" + stackTrace(cause), cause);
        }

        @Override
        public void falisification(long seed, int examples, Object smallest, List<Object> others,
                                   AsString<Object> asString) {
            throw new AssertionError(message(seed, examples, smallest, others, asString));
        }

        @Override
        public void valuesExhausted(int examples) {
            throw new AssertionError(describe(testClass, method) + ": gave up after " + examples
                    + " examples: the generators' assumptions rejected too many values");
        }

        private String message(long seed, int examples, Object smallest, List<Object> others, AsString<Object> asString) {
            String replay = String.format(Locale.ROOT, "mvn -B verify -pl property-tests -am -Dtest=%s#%s "
                            + "-Dsurefire.failIfNoSpecifiedTests=false -D%s=%d%s", testClass, method, SEED, seed,
                    deep() ? " -D" + DEEP + "=true" : "");
            String more = others.stream().limit(5).map(asString::asString)
                    .collect(Collectors.joining("\n  ", "\n  ", ""));
            return String.format(Locale.ROOT, "%s falsified after %d example(s), seed %d%n"
                            + "Smallest falsifying case:%n  %s%nOther falsifying cases (up to 5):%s%nReplay: %s",
                    describe(testClass, method), examples, seed, asString.asString(smallest), others.isEmpty() ? " none" : more,
                    replay);
        }

        private static String stackTrace(Throwable t) {
            StringWriter s = new StringWriter();
            t.printStackTrace(new PrintWriter(s));
            return s.toString();
        }
    }
}
