package io.jarnn.core;

import static io.jarnn.core.Rejections.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DTypeTest {
    @Test
    void eachPrecisionNamesItselfAsNumpyDoes() {
        assertEquals("float32", DType.FLOAT32.label());
        assertEquals("float64", DType.FLOAT64.label());
        assertEquals("<f4", DType.FLOAT32.npyDescr());
        assertEquals("<f8", DType.FLOAT64.npyDescr());
        assertEquals(4, DType.FLOAT32.bytes());
        assertEquals(8, DType.FLOAT64.bytes());
        assertEquals("float64", DType.FLOAT64.toString());
    }

    @ParameterizedTest
    @CsvSource({"float32, FLOAT32", "FLOAT32, FLOAT32", "f4, FLOAT32", "<f4, FLOAT32", "' Float32 ', FLOAT32",
        "float64, FLOAT64", "F8, FLOAT64", "<f8, FLOAT64"})
    void parsesNumpysNamesInAnyCase(String name, DType expected) {
        assertEquals(expected, DType.parse("--dtype", name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "double", "float16", ">f8", "f", "float"})
    void refusesAnythingElseNamingTheArgument(String name) {
        assertRejected(() -> DType.parse("--dtype", name), "--dtype: expected float32 or float64 but got '"
                + name + "'");
    }

    @Test
    void refusesNull() {
        assertRejected(() -> DType.parse("dtype", null), "dtype: expected float32 or float64 but got 'null'");
    }
}
