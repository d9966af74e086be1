package io.jarnn.properties;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Non-vacuity for one property run: counts the cases that were really checked, those skipped
 * (a case the property does not apply to), and labels of the checked ones, then asserts that
 * the run exercised what the property claims (e.g. every weight style in at least 5% of cases).
 * A property that passes because its cases never reached the interesting code fails here.
 */
final class Coverage {
    private final String property;
    private int checked;
    private final Map<String, Integer> skipped = new TreeMap<>();
    private final Map<String, Map<Object, Integer>> labels = new LinkedHashMap<>();

    /**
     * Coverage of the calling property, named by its class and method (the float64 twin's class
     * name ends in 64, so a failure says which precision fell short).
     */
    Coverage() {
        StackWalker.StackFrame caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .walk(frames -> frames.skip(1).findFirst()).orElseThrow();
        this.property = SuiteRunMode.describe(caller.getDeclaringClass().getSimpleName(), caller.getMethodName());
    }

    /** One case checked, with {@code value} under {@code label} (call once per label and case). */
    void collect(String label, Object value) {
        labels.computeIfAbsent(label, l -> new LinkedHashMap<>()).merge(value, 1, Integer::sum);
    }

    void checked() {
        checked++;
    }

    /** One case the property does not apply to, and why. */
    void skip(String reason) {
        skipped.merge(reason, 1, Integer::sum);
    }

    /** At least {@code fraction} of all cases were checked rather than skipped. */
    void requireCheckedFraction(double fraction) {
        int total = checked + skipped.values().stream().mapToInt(Integer::intValue).sum();
        if (checked < fraction * total) {
            fail(property + ": only " + checked + " of " + total + " cases were checked (at least " + fraction
                    + " required); skipped: " + skipped);
        }
    }

    /** Every value of {@code expected} was seen under {@code label} in at least {@code fraction} of checked cases. */
    void requireEach(String label, Collection<?> expected, double fraction) {
        Map<Object, Integer> seen = labels.getOrDefault(label, Map.of());
        int total = seen.values().stream().mapToInt(Integer::intValue).sum();
        for (Object value : expected) {
            int count = seen.getOrDefault(value, 0);
            if (total == 0 || count < fraction * total) {
                fail(property + ": " + label + " = " + value + " in " + count + " of " + total + " checked cases, "
                        + "expected at least " + fraction + "; all: " + seen);
            }
        }
    }
}
