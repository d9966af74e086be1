package io.jarnn.core.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jarnn.core.DType;
import io.jarnn.core.Tensor;
import io.jarnn.core.Tensor64;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NpyStreamWriterTest {

    private static Tensor random(int rows, int cols, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[rows * cols];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return Tensor.wrap(values, rows, cols);
    }

    @Test
    void blocksOfRowsGiveTheBytesOfOneWrite() throws IOException {
        // 70,000 values: more than one conversion buffer, cut into uneven blocks.
        Tensor whole = random(7000, 10, 5);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        Npy.write(expected, whole);
        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        NpyStreamWriter writer = new NpyStreamWriter(streamed, 7000, 10);
        for (int first = 0; first < 7000; ) {
            int end = Math.min(7000, first + 1 + first % 1733);
            writer.write(whole.slice(first, end));
            first = end;
        }
        assertEquals(0, writer.remaining());
        writer.finish();
        assertArrayEquals(expected.toByteArray(), streamed.toByteArray());
    }

    @Test
    void theHeaderOfAnArrayLargerThanATensorIsNumpys() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new NpyStreamWriter(bytes, 100_000_000, 100);
        String header = bytes.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(header.contains("'shape': (100000000, 100), }"), header);
        assertEquals(0, bytes.size() % 64, "data starts at a multiple of 64 bytes");
    }

    @Test
    void tooFewOrTooManyValuesAreRefused() throws IOException {
        NpyStreamWriter writer = new NpyStreamWriter(OutputStream.nullOutputStream(), 3, 2);
        writer.write(Tensor.zeros(2, 2));
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> writer.write(Tensor.zeros(2, 2)));
        assertEquals("values: 4 values but only 2 of the (3, 2) array remain", tooMany.getMessage());
        IllegalStateException tooFew = assertThrows(IllegalStateException.class, writer::finish);
        assertEquals("wrote 4 of the 6 values of a (3, 2) array", tooFew.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new NpyStreamWriter(OutputStream.nullOutputStream(), 3, 0));
    }

    @Test
    void aBlockOfTheOtherPrecisionIsRefusedAndNothingIsWritten() throws IOException {
        ByteArrayOutputStream doubles = new ByteArrayOutputStream();
        NpyStreamWriter writer = new NpyStreamWriter(doubles, DType.FLOAT64, 4);
        assertEquals(DType.FLOAT64, writer.dtype());
        int headerBytes = doubles.size();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> writer.write(Tensor.zeros(2)));
        assertEquals("values: expected a float64 block (this writer writes <f8) but got float32 of shape (2,);"
                + " convert it with to(FLOAT64) if that is intended", e.getMessage());
        assertEquals(headerBytes, doubles.size());
        assertEquals(4, writer.remaining());
        writer.write(Tensor64.zeros(4));
        writer.finish();
        assertEquals(headerBytes + 32, doubles.size());

        NpyStreamWriter floats = new NpyStreamWriter(OutputStream.nullOutputStream(), 4);
        assertEquals(DType.FLOAT32, floats.dtype());
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
                () -> floats.write(Tensor64.zeros(4)));
        assertTrue(f.getMessage().startsWith("values: expected a float32 block"), f.getMessage());
        assertThrows(NullPointerException.class, () -> new NpyStreamWriter(OutputStream.nullOutputStream(),
                (DType) null, 4));
    }

    @Test
    void memoryDoesNotGrowWithTheArray() throws IOException {
        Tensor block = random(1000, 100, 1);
        long small = Allocations.during(() -> stream(block, 10));
        long large = Allocations.during(() -> stream(block, 200));
        // 200 blocks are 80 MB of data; the writer's own memory is one 64 KiB buffer either way.
        assertTrue(large < small + 256 * 1024, "allocated " + small + " bytes for 10 blocks, " + large + " for 200");
    }

    private static void stream(Tensor block, int blocks) {
        try {
            NpyStreamWriter writer = new NpyStreamWriter(OutputStream.nullOutputStream(), 1000 * blocks, 100);
            for (int i = 0; i < blocks; i++) {
                writer.write(block);
            }
            writer.finish();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
