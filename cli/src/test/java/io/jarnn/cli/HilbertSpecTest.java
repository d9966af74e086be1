package io.jarnn.cli;

import io.jarnn.core.HilbertSpace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HilbertSpecTest {

    @Test
    void parsesEveryForm() {
        assertEquals(HilbertSpace.spin(0.5, 100), HilbertSpec.parse("spin:1/2:100"));
        assertEquals(HilbertSpace.spin(0.5, 3), HilbertSpec.parse("spin:0.5:3"));
        assertEquals(HilbertSpace.spin(1, 20), HilbertSpec.parse("spin:1:20"));
        assertEquals(HilbertSpace.spin(1.5, 2), HilbertSpec.parse("spin:3/2:2"));
        assertEquals(HilbertSpace.fock(3, 20), HilbertSpec.parse("fock:3:20"));
        assertEquals(HilbertSpace.ofLocalValues(10, -1, 0, 1), HilbertSpec.parse("values:-1,0,1:10"));
        assertEquals("spin", HilbertSpec.parse(" spin:1/2:4 ").kind());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "spin:1/2            | expected TYPE:LOCAL:N",
            "spin:1/2:100:4      | expected TYPE:LOCAL:N",
            "qubit:2:10          | expected the type spin, fock or values but got 'qubit'",
            "spin:1/3:10         | s: expected a positive multiple of 1/2",
            "spin:1/0:10         | expected a spin such as 1/2",
            "spin:half:10        | expected a spin such as 1/2",
            "spin:1/2:0          | N: expected at least 1 site",
            "spin:1/2:ten        | expected an integer for the number of sites N but got 'ten'",
            "fock:0:5            | nMax: expected 1..100000",
            "fock:2.5:5          | expected an integer for n_max",
            "values:1:5          | values: expected at least 2 local values",
            "values:1,1:5        | appears twice",
            "values:1,x:5        | expected comma-separated numbers",
            "values:1,NaN:5      | values: expected finite local values",
    })
    void rejectsBadSpecsQuotingThem(String spec, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HilbertSpec.parse(spec));
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
        assertTrue(e.getMessage().contains("'" + spec + "'"), () -> "expected the spec quoted in: " + e.getMessage());
    }
}
