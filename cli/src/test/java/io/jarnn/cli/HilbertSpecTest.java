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

    @Test
    void parsesConstraints() {
        assertEquals(HilbertSpace.spin(0.5, 20, 0), HilbertSpec.parse("spin:1/2:20:sz=0"));
        assertEquals(HilbertSpace.spin(0.5, 5, -0.5), HilbertSpec.parse("spin:1/2:5:sz=-1/2"));
        assertEquals(HilbertSpace.spin(1.5, 3, 2.5), HilbertSpec.parse("spin:3/2:3:sz=2.5"));
        assertEquals(HilbertSpace.spin(1, 4, -2), HilbertSpec.parse("spin:1:4:sz=-2"));
        assertEquals(HilbertSpace.fock(3, 8, 8), HilbertSpec.parse("fock:3:8:n=8"));
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
            "spin:1/2:3:sz=0     | totalSz: expected one of -3/2, -1/2, ..., 3/2 for Spin(s=1/2, N=3) but got 0.0",
            "spin:1/2:4:sz=x     | expected a total Sz such as 0",
            "spin:1/2:4:n=2      | expected TYPE:LOCAL:N:sz=TOTAL",
            "fock:2:5:n=11       | nParticles: expected 0..10 (N * nMax) for Fock(n_max=2, N=5) but got 11",
            "fock:2:5:sz=1       | expected TYPE:LOCAL:N:n=TOTAL",
            "fock:2:5:n=1.5      | expected an integer for the particle number n but got '1.5'",
            "values:1,2:5:n=3    | expected no constraint for a values space",
            "spin:1/2:4:sz=0:x   | expected TYPE:LOCAL:N",
    })
    void rejectsBadSpecsQuotingThem(String spec, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HilbertSpec.parse(spec));
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
        assertTrue(e.getMessage().contains("'" + spec + "'"), () -> "expected the spec quoted in: " + e.getMessage());
    }
}
