package io.jarnn.core.npy;

import static io.jarnn.core.npy.NpyBytes.f4;
import static io.jarnn.core.npy.NpyBytes.f8;
import static io.jarnn.core.npy.NpyBytes.i4;
import static io.jarnn.core.npy.NpyBytes.npy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jarnn.core.DType;
import io.jarnn.core.NdArray;
import io.jarnn.core.PrecisionConversion;
import io.jarnn.core.Tensor;
import io.jarnn.core.Tensor64;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which precision each way of reading gives, and how {@code '<f8'} becomes float32. */
class NpyPrecisionTest {
    @TempDir
    Path dir;

    private Path file(String name, byte[] content) throws IOException {
        Path path = dir.resolve(name);
        Files.write(path, content);
        return path;
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = NpyPrecisionTest.class.getResourceAsStream("numpy/" + name)) {
            assertTrue(in != null, "missing test resource numpy/" + name);
            return in.readAllBytes();
        }
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "expected '" + part + "' in: " + e.getMessage());
        }
    }

    @Test
    void readArrayKeepsTheStoredPrecision() throws IOException {
        NdArray f8 = Npy.readArray(file("a.npy", npy("<f8", "(2,)", f8(0.1, -1e300))));
        Tensor64 doubles = assertInstanceOf(Tensor64.class, f8);
        assertEquals(0.1, doubles.getFlat(0));
        assertEquals(-1e300, doubles.getFlat(1));
        assertInstanceOf(Tensor.class, Npy.readArray(file("b.npy", npy("<f4", "(2,)", f4(0.1f, 2)))));
        NdArray ints = Npy.readArray(file("c.npy", npy("<i4", "(3,)", i4(-7, 0, 1 << 24))));
        assertEquals(DType.FLOAT32, ints.dtype());
        assertArrayEquals(new float[] {-7, 0, 1 << 24}, ((Tensor) ints).toArray());
    }

    @Test
    void readAsFloat32RefusesAFiniteValueBeyondFloatRangeNamingTheElement() throws IOException {
        Path path = file("overflow.npy", resource("float64-overflow.npy"));
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(path));
        assertEquals(path.toString(), e.source());
        assertMentions(e, path + ": element 3 (index (1, 1)) of shape (2, 2) of '<f8' is -1.0E300",
                "beyond float32 range", "Npy.readArray");
        NpyFormatException fromStream = assertThrows(NpyFormatException.class, () -> Npy.read(
                new ByteArrayInputStream(resource("float64-overflow.npy")), "stream.npy", ReadLimits.DEFAULT));
        assertMentions(fromStream, "stream.npy: element 3 (index (1, 1))");
        assertEquals(-1e300, Npy.read64(path).get(1, 1));
    }

    @Test
    void narrowingWhileReadingFollowsPrecisionConversionsRule() throws IOException {
        double max = Float.MAX_VALUE;
        double halfUlp = Math.ulp(Float.MAX_VALUE) / 2.0;
        // Just below half an ulp above MAX_VALUE rounds down to it; half an ulp rounds to infinity.
        double[] values = {max, Math.nextDown(max + halfUlp), max + halfUlp, -(max + halfUlp), 1e39,
            Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NaN, Double.MIN_VALUE, -0.0};
        for (double v : values) {
            Path path = file("one.npy", npy("<f8", "(1,)", f8(v)));
            boolean refusedByConversion = PrecisionConversion.overflowsFloat32(v);
            try {
                Tensor t = Npy.read(path);
                assertTrue(!refusedByConversion, "read accepted " + v + ", which narrow refuses");
                Tensor narrowed = PrecisionConversion.narrow(Tensor64.wrap(new double[] {v}, 1));
                assertEquals(Float.floatToRawIntBits(narrowed.getFlat(0)), Float.floatToRawIntBits(t.getFlat(0)),
                        "value " + v);
            } catch (NpyFormatException e) {
                assertTrue(refusedByConversion, "read refused " + v + ", which narrow accepts: " + e.getMessage());
                assertThrows(IllegalArgumentException.class,
                        () -> PrecisionConversion.narrow(Tensor64.wrap(new double[] {v}, 1)));
            }
        }
        assertTrue(PrecisionConversion.overflowsFloat32(max + halfUlp));
        assertTrue(!PrecisionConversion.overflowsFloat32(Math.nextDown(max + halfUlp)));
    }

    @Test
    void read64WidensEveryDtypeExactly() throws IOException {
        Tensor64 fromFloats = Npy.read64(file("f.npy", npy("<f4", "(3,)", f4(0.1f, Float.MIN_VALUE, -0f))));
        assertArrayEquals(new double[] {0.1f, Float.MIN_VALUE, -0.0}, fromFloats.toArray());
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(fromFloats.getFlat(2)));
        // 2^53 + 1 is the first integer a double cannot hold: it rounds to nearest even, 2^53.
        Tensor64 fromLongs = Npy.read64(file("i.npy", resource("int64-beyond-2to53.npy")));
        assertArrayEquals(new double[] {0x1p53, 0x1p53, -0x1p63}, fromLongs.toArray());
        Tensor64 fromInts = Npy.read64(new ByteArrayInputStream(npy("<i4", "(2,)", i4(16_777_217, -3))), "s",
                ReadLimits.DEFAULT);
        assertArrayEquals(new double[] {16_777_217, -3}, fromInts.toArray(), "exact beyond float's 2^24");
    }

    @Test
    void readingF8AsFloat32NeverHoldsAFloat64Copy() throws IOException {
        int n = 1 << 20;
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = i * 0.25;
        }
        Path path = dir.resolve("big.npy");
        Npy.write(path, Tensor64.wrap(values, n));
        long asFloat32 = Allocations.during(() -> readQuietly(() -> Npy.read(path)));
        long asStored = Allocations.during(() -> readQuietly(() -> Npy.readArray(path)));
        // 4 MiB of floats or 8 MiB of doubles, plus a 256 KiB chunk and change.
        assertTrue(asFloat32 < 4L * n + (1 << 20), "read as float32 allocated " + asFloat32 + " bytes");
        assertTrue(asStored > 8L * n && asStored < 8L * n + (1 << 20),
                "read as float64 allocated " + asStored + " bytes");
    }

    @Test
    void aDeclaredF8ArrayOverAShortStreamAllocatesLittleInEitherPrecision() {
        byte[] file = npy("<f8", "(16384, 16384)", f8(1, 2, 3));
        for (IoAction read : new IoAction[] {
            () -> Npy.readArray(new ByteArrayInputStream(file), "s", ReadLimits.DEFAULT),
            () -> Npy.read64(new ByteArrayInputStream(file), "s", ReadLimits.DEFAULT)}) {
            long allocated = Allocations.during(() -> assertMentions(
                    assertThrows(NpyFormatException.class, read::run), "truncated data"));
            assertTrue(allocated < 16 << 20, "allocated " + allocated + " bytes for 24 bytes of data");
        }
    }

    @FunctionalInterface
    private interface IoAction {
        Object run() throws IOException;
    }

    private static void readQuietly(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
