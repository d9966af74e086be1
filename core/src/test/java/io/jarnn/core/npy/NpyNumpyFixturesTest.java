package io.jarnn.core.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.jarnn.core.DType;
import io.jarnn.core.NdArray;
import io.jarnn.core.Tensor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * jarnn against files {@code numpy.save} wrote (core/src/test/numpy/generate_fixtures.py; CI has
 * no NumPy, so they are committed): the same bytes out, the same bits in. Written for one
 * precision; its generated twin (codegen/float64-twins.txt) runs the same checks in the other.
 */
class NpyNumpyFixturesTest {
    private static final String DIR = "numpy/float32/";
    private static final DType DTYPE = DType.FLOAT32;

    @TempDir
    Path dir;

    /** numpy's special(): zeros of both signs, subnormal, extremes, infinities, NaN, a rounded third. */
    static Tensor special() {
        float[] values = {0f, -0f, Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MAX_VALUE, Float.MAX_VALUE,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1f / 3f, -2.5f, 1e-30f};
        return Tensor.wrap(values, 3, 4);
    }

    /** numpy's ramp(): 0, 1, 2, ... in C order, minus 2.5. */
    static Tensor ramp(int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] values = t.array();
        for (int i = 0; i < values.length; i++) {
            values[i] = i - 2.5f;
        }
        return t;
    }

    static Tensor fixture(String name) {
        return switch (name) {
            case "special" -> special();
            case "ramp-5" -> ramp(5);
            case "ramp-1000x1" -> ramp(1000, 1);
            case "ramp-2x3x4" -> ramp(2, 3, 4);
            case "ramp-aligned" -> ramp(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 10, 10);
            default -> throw new IllegalArgumentException("name: no fixture '" + name + "'");
        };
    }

    private static byte[] numpyBytes(String name) throws IOException {
        try (InputStream in = NpyNumpyFixturesTest.class.getResourceAsStream(DIR + name + ".npy")) {
            assertNotNull(in, "missing test resource " + DIR + name + ".npy");
            return in.readAllBytes();
        }
    }

    private static void assertBitsEqual(Tensor expected, Tensor actual, String label) {
        assertArrayEquals(expected.shape(), actual.shape(), label);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(Float.floatToRawIntBits(expected.getFlat(i)), Float.floatToRawIntBits(actual.getFlat(i)),
                    label + ", element " + i + ": expected " + expected.getFlat(i) + " but got " + actual.getFlat(i));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"special", "ramp-5", "ramp-1000x1", "ramp-2x3x4", "ramp-aligned"})
    void writesTheBytesNumpySaveWrites(String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, fixture(name));
        assertArrayEquals(numpyBytes(name), out.toByteArray(), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"special", "ramp-5", "ramp-1000x1", "ramp-2x3x4", "ramp-aligned"})
    void readsNumpysFileBitForBitInItsPrecision(String name) throws IOException {
        NdArray read = Npy.readArray(new ByteArrayInputStream(numpyBytes(name)), name, ReadLimits.DEFAULT);
        assertEquals(DTYPE, read.dtype(), name);
        assertBitsEqual(fixture(name), (Tensor) read, name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"special", "ramp-1000x1", "ramp-aligned"})
    void streamingRowByRowWritesNumpysBytesToo(String name) throws IOException {
        Tensor whole = fixture(name);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NpyStreamWriter writer = new NpyStreamWriter(out, DTYPE, whole.shape());
        for (int row = 0; row < whole.dim(0); row++) {
            writer.write(whole.slice(row, row + 1));
        }
        writer.finish();
        assertArrayEquals(numpyBytes(name), out.toByteArray(), name);
    }

    @Test
    void fileRoundTripKeepsEveryBitIncludingNanPayloads() throws IOException {
        float[] values = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE,
            -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
            Float.intBitsToFloat(0x7FC0_1234), //f64: Double.longBitsToDouble(0x7FF8_0000_0000_1234L),
            Float.intBitsToFloat(0xFFC0_0001)}; //f64: Double.longBitsToDouble(0xFFF8_0000_0000_0001L)};
        Tensor t = Tensor.wrap(values, 2, 6);
        Path file = dir.resolve("special.npy");
        Npy.write(file, t);
        assertEquals(128 + (long) DTYPE.bytes() * values.length, Files.size(file));
        assertBitsEqual(t, (Tensor) Npy.readArray(file), "round trip");
    }

    @Test
    void aViewWritesOnlyItsElements() throws IOException {
        Tensor middle = ramp(4, 2).slice(1, 3);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, middle);
        Tensor back = (Tensor) Npy.readArray(new ByteArrayInputStream(out.toByteArray()), "view", ReadLimits.DEFAULT);
        assertBitsEqual(Tensor.wrap(new float[] {-0.5f, 0.5f, 1.5f, 2.5f}, 2, 2), back, "view");
    }
}
