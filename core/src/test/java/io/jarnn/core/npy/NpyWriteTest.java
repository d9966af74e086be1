package io.jarnn.core.npy;

import static io.jarnn.core.npy.NpyBytes.ascii;
import static io.jarnn.core.npy.NpyBytes.f4;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jarnn.core.Shapes;
import io.jarnn.core.Tensor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyWriteTest {
    @TempDir
    Path dir;

    private static byte[] encode(Tensor t) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, t);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void writesExactlyWhatNumpySaveWritesForA3x4Float32Array() throws IOException {
        float[] values = new float[12];
        for (int i = 0; i < 12; i++) {
            values[i] = i - 2.5f;
        }
        // numpy.save(f, np.arange(12, dtype='<f4').reshape(3, 4) - 2.5): magic, version 1.0,
        // header length 118 ('v\x00'), the dict, spaces up to byte 127 and '\n' at byte 127.
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }";
        byte[] expected = concat(
                new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 'v', 0},
                ascii(dict + " ".repeat(127 - 10 - dict.length()) + "\n"),
                f4(values));
        assertArrayEquals(expected, encode(Tensor.wrap(values, 3, 4)));
    }

    @Test
    void writesRankOneShapeWithTrailingComma() throws IOException {
        byte[] bytes = encode(Tensor.wrap(new float[] {1, 2, 3, 4, 5}, 5));
        String header = new String(bytes, 10, 118, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }   "), header);
        assertEquals(128 + 20, bytes.length);
    }

    @Test
    void padsAFull64BytesWhenTheHeaderIsAlreadyAlignedAsNumpyDoes() throws IOException {
        // Dict (97 chars) + growth padding (20) + '\n' = 118 bytes, so magic + length + header is
        // exactly 128; NumPy still adds 64 - 0 % 64 = 64 spaces, giving a 182-byte header.
        int[] shape = {1, 1, 1, 1, 1, 1, 1, 1, 10, 10, 10, 10, 10};
        byte[] bytes = encode(Tensor.zeros(shape));
        assertEquals(182, (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8);
        assertEquals(192 + 4 * 100_000, bytes.length);
        assertEquals('\n', bytes[191]);
        assertEquals(' ', bytes[190]);
    }

    @Test
    void everyHeaderIsAlignedEndsInNewlineAndReadsBack() throws IOException {
        SplittableRandom random = new SplittableRandom(7);
        for (int trial = 0; trial < 300; trial++) {
            int rank = 1 + random.nextInt(6);
            int[] shape = new int[rank];
            long size = 1;
            for (int a = 0; a < rank; a++) {
                shape[a] = 1 + random.nextInt(a == 0 ? 200_000 : 4);
                size *= shape[a];
            }
            if (size > 1_000_000) {
                continue;
            }
            Tensor t = Tensor.zeros(shape);
            byte[] bytes = encode(t);
            int headerLength = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
            int dataOffset = 10 + headerLength;
            String label = Shapes.format(shape);
            assertEquals(0, dataOffset % 64, label);
            assertEquals('\n', bytes[dataOffset - 1], label);
            assertEquals(dataOffset + 4 * size, bytes.length, label);
            assertArrayEquals(shape, Npy.read(new ByteArrayInputStream(bytes), label, ReadLimits.DEFAULT).shape());
        }
    }

    @Test
    void switchesToVersion2WhenTheHeaderExceeds65535Bytes() throws IOException {
        int[] shape = new int[22_000];
        Arrays.fill(shape, 1);
        shape[0] = 3;
        Tensor t = Tensor.wrap(new float[] {1, 2, 3}, shape);
        byte[] bytes = encode(t);
        assertEquals(2, bytes[6]);
        assertEquals(0, bytes[7]);
        long headerLength = ByteBuffer.wrap(bytes, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
        assertTrue(headerLength > 0xFFFF);
        assertEquals(0, (12 + headerLength) % 64);
        assertEquals('\n', bytes[(int) (12 + headerLength - 1)]);
        Tensor back = Npy.read(new ByteArrayInputStream(bytes), "v2", ReadLimits.DEFAULT);
        assertTrue(back.contentEquals(t));
    }

    @Test
    void roundTripsBitExactIncludingSpecialValues() throws IOException {
        float[] values = {0f, -0f, Float.MIN_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0x7FC0_1234), Float.intBitsToFloat(0xFF80_0001), 1e-42f,
            3.14159f, -2.5f, 1e30f};
        Tensor t = Tensor.wrap(values, 2, 2, 3);
        Path file = dir.resolve("special.npy");
        Npy.write(file, t);
        Tensor back = Npy.read(file);
        assertTrue(back.contentEquals(t), back.toString());
        for (int i = 0; i < values.length; i++) {
            assertEquals(Float.floatToRawIntBits(values[i]), Float.floatToRawIntBits(back.getFlat(i)), "element " + i);
        }
    }

    @Test
    void writesOnlyTheElementsOfAView() throws IOException {
        Tensor whole = Tensor.wrap(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 4, 2);
        Tensor middle = whole.slice(1, 3);
        Path file = dir.resolve("view.npy");
        Npy.write(file, middle);
        Tensor back = Npy.read(file);
        assertArrayEquals(new int[] {2, 2}, back.shape());
        assertArrayEquals(new float[] {3, 4, 5, 6}, back.toArray());
    }

    @Test
    void roundTripsLargeArraysAcrossChunks() throws IOException {
        float[] values = new float[100_003];
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        Path file = dir.resolve("large.npy");
        Npy.write(file, Tensor.wrap(values, 100_003));
        assertEquals(128 + 4L * values.length, Files.size(file));
        assertArrayEquals(values, Npy.read(file).toArray());
    }
}
