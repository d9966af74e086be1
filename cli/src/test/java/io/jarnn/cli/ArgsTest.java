package io.jarnn.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArgsTest {
    private static final CommandSpec SPEC = new CommandSpec("try", List.of("MODEL"), "MODEL", "a test command",
            "For tests.", List.of(
                    Option.value("--count", "N", "a count"),
                    Option.value("--seed", "S", "a seed"),
                    Option.value("--pow", "P", "a float"),
                    Option.value("--out", "FILE", "a file"),
                    Option.flag("--verbose", "a switch")));

    private static Args parse(String... argv) {
        return Args.parse(SPEC, List.of(argv));
    }

    private static void assertUsage(String expected, String... argv) {
        UsageException e = assertThrows(UsageException.class, () -> parse(argv));
        assertEquals(expected + " (see jarnn try --help)", e.getMessage());
    }

    @Test
    void parsesSeparateAndJoinedValuesSwitchesAndPositionals() {
        Args a = parse("--count", "3", "m.npz", "--seed=-7", "--verbose", "--pow", "0.5");
        assertEquals("m.npz", a.positional(0));
        assertEquals(3, a.requiredInteger("--count", 1));
        assertEquals(-7L, a.longValue("--seed", 0));
        assertEquals(0.5f, a.floatValue("--pow", 2f));
        assertTrue(a.flag("--verbose"));
        assertFalse(a.has("--out"));
        assertEquals(Path.of("m.npz"), a.positionalPath(0));
        assertEquals(9, a.integer("--out", 9, 1), "default when absent");
    }

    @Test
    void doubleDashEndsOptions() {
        Args a = parse("--", "--weird-name.npz");
        assertEquals("--weird-name.npz", a.positional(0));
    }

    @Test
    void rejectsMalformedCommandLinesNamingTheFlag() {
        assertUsage("unknown option '--cont'", "m", "--cont", "3");
        assertUsage("unknown option '-c'", "m", "-c");
        assertUsage("--count: given twice", "m", "--count", "1", "--count=2");
        assertUsage("--count: expected a value (N)", "m", "--count");
        assertUsage("--count: expected a value (N)", "m", "--count", "--verbose");
        assertUsage("--verbose: takes no value but got 'yes'", "m", "--verbose=yes");
        assertUsage("missing MODEL", "--count", "1");
        assertUsage("unexpected argument 'n'", "m", "n");
    }

    @Test
    void typedAccessorsRejectBadValues() {
        assertEquals("--count: expected an integer >= 1 but got '0' (see jarnn try --help)",
                assertThrows(UsageException.class, () -> parse("m", "--count", "0").requiredInteger("--count", 1))
                        .getMessage());
        assertThrows(UsageException.class, () -> parse("m", "--count", "1e3").requiredInteger("--count", 1));
        assertThrows(UsageException.class, () -> parse("m", "--count", "99999999999").requiredInteger("--count", 1));
        assertThrows(UsageException.class, () -> parse("m", "--seed", "0x10").longValue("--seed", 0));
        for (String bad : new String[]{"NaN", "Infinity", "2f", "0x1p1", "1e39", ""}) {
            UsageException e = assertThrows(UsageException.class, () -> parse("m", "--pow=" + bad).floatValue("--pow", 2f));
            assertTrue(e.getMessage().startsWith("--pow: expected a finite decimal number"), e.getMessage());
        }
        assertEquals(1e-3f, parse("m", "--pow", "1e-3").floatValue("--pow", 2f));
        assertEquals("missing --out FILE (see jarnn try --help)",
                assertThrows(UsageException.class, () -> parse("m").required("--out")).getMessage());
        assertThrows(UsageException.class, () -> parse("m", "--out=").requiredPath("--out"));
    }

    @Test
    void askingForAnUndeclaredFlagIsABugNotAUsageError() {
        assertThrows(IllegalStateException.class, () -> parse("m").has("--threads"));
    }

    @Test
    void helpListsEveryOption() {
        String help = SPEC.help();
        assertTrue(help.startsWith("usage: jarnn try MODEL\n"), help);
        for (String line : new String[]{"  --count N   a count", "  --verbose   a switch", "  --help      print this help"}) {
            assertTrue(help.contains(line + "\n"), () -> "'" + line + "' in:\n" + help);
        }
    }
}
