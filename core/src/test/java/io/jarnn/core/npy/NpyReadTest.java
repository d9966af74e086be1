package io.jarnn.core.npy;

import static io.jarnn.core.npy.NpyBytes.ascii;
import static io.jarnn.core.npy.NpyBytes.bytes;
import static io.jarnn.core.npy.NpyBytes.f4;
import static io.jarnn.core.npy.NpyBytes.f8;
import static io.jarnn.core.npy.NpyBytes.i2;
import static io.jarnn.core.npy.NpyBytes.i4;
import static io.jarnn.core.npy.NpyBytes.i8;
import static io.jarnn.core.npy.NpyBytes.npy;
import static io.jarnn.core.npy.NpyBytes.raw;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jarnn.core.Tensor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NpyReadTest {
    @TempDir
    Path dir;

    private Tensor readFile(byte[] content) throws IOException {
        Path file = dir.resolve("array.npy");
        Files.write(file, content);
        return Npy.read(file);
    }

    /** The exception for reading {@code content} from a file; its message must name the file. */
    private NpyFormatException rejected(byte[] content) throws IOException {
        return rejected(content, ReadLimits.DEFAULT);
    }

    private NpyFormatException rejected(byte[] content, ReadLimits limits) throws IOException {
        Path file = dir.resolve("bad.npy");
        Files.write(file, content);
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(file, limits));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertEquals(file.toString(), e.source());
        return e;
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "expected '" + part + "' in: " + e.getMessage());
        }
    }

    @Test
    void readsVersion1Float64ConvertingToFloat32() throws IOException {
        // An infinity stays one; a finite value beyond float range is refused (NpyPrecisionTest).
        double[] values = {1.5, -2.25, 1e-3, Double.POSITIVE_INFINITY, -0.0, Math.PI};
        Tensor t = readFile(npy("<f8", "(2, 3)", f8(values)));
        assertArrayEquals(new int[] {2, 3}, t.shape());
        for (int i = 0; i < values.length; i++) {
            assertEquals(Float.floatToIntBits((float) values[i]), Float.floatToIntBits(t.getFlat(i)), "element " + i);
        }
        assertEquals(Float.POSITIVE_INFINITY, t.get(1, 0));
    }

    @Test
    void readsVersion2WithAnyKeyOrderAndSpacing() throws IOException {
        byte[] file = npy(2, "{ \"shape\":(4 ,) ,'fortran_order' :False,\n 'descr':'<f4'}", f4(1, 2, 3, 4));
        assertEquals(2, file[6]);
        Tensor t = readFile(file);
        assertArrayEquals(new int[] {4}, t.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4}, t.toArray());
    }

    @Test
    void readsVersion3LikeVersion2() throws IOException {
        Tensor t = readFile(npy(3, "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), }", f4(7, 8)));
        assertArrayEquals(new float[] {7, 8}, t.toArray());
        assertArrayEquals(new int[] {1, 2}, t.shape());
    }

    @Test
    void rejectsVersion3HeaderThatIsNotUtf8() throws IOException {
        byte[] header = ascii("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }  \n");
        header[header.length - 2] = (byte) 0xFF;
        assertMentions(rejected(raw(3, 0, header.length, header, f4(1))), "UTF-8");
    }

    @Test
    void readsHeaderAlignedTo16BytesAsOldNumPyWrote() throws IOException {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
        int length = dict.length() + 1;
        while ((10 + length) % 16 != 0) {
            length++;
        }
        byte[] header = ascii(dict + " ".repeat(length - dict.length() - 1) + "\n");
        assertTrue((10 + header.length) % 64 != 0, "the test needs a header that is not 64-aligned");
        assertArrayEquals(new float[] {5, 6}, readFile(raw(1, 0, header.length, header, f4(5, 6))).toArray());
    }

    @Test
    void readsPython2LongSuffixInShape() throws IOException {
        Tensor t = readFile(npy("<f4", "(2L, 1L)", f4(3, 4)));
        assertArrayEquals(new int[] {2, 1}, t.shape());
    }

    @Test
    void readsScalarAsShapeOne() throws IOException {
        Tensor t = readFile(npy("<f8", "()", f8(2.5)));
        assertArrayEquals(new int[] {1}, t.shape());
        assertEquals(2.5f, t.getFlat(0));
    }

    @Test
    void readsIntegerTypesAsFloat32() throws IOException {
        assertArrayEquals(new float[] {-128, 127, -1, 0},
                readFile(npy("|i1", "(4,)", bytes(-128, 127, -1, 0))).toArray());
        assertArrayEquals(new float[] {-128, 127, -1, 0},
                readFile(npy("<i1", "(4,)", bytes(-128, 127, -1, 0))).toArray());
        assertArrayEquals(new float[] {255, 0, 1}, readFile(npy("|u1", "(3,)", bytes(255, 0, 1))).toArray());
        assertArrayEquals(new float[] {-32768, 32767, 1},
                readFile(npy("<i2", "(3,)", i2(-32768, 32767, 1))).toArray());
        // 2^24 + 1 is the first integer float32 cannot hold: it rounds to nearest even.
        assertArrayEquals(new float[] {-1, 16777216, Integer.MIN_VALUE},
                readFile(npy("<i4", "(3,)", i4(-1, 16777217, Integer.MIN_VALUE))).toArray());
        Tensor configurations = readFile(npy("<i8", "(2, 2)", i8(1, -1, -1, 1L << 40)));
        assertArrayEquals(new int[] {2, 2}, configurations.shape());
        assertArrayEquals(new float[] {1, -1, -1, 0x1p40f}, configurations.toArray());
    }

    @Test
    void readsArraysWrittenBackToBackFromOneStream() throws IOException {
        byte[] first = npy("<f4", "(2,)", f4(1, 2));
        byte[] second = npy("|u1", "(1,)", bytes(9));
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        InputStream in = new ByteArrayInputStream(both);
        assertArrayEquals(new float[] {1, 2}, Npy.read(in, "stream", ReadLimits.DEFAULT).toArray());
        assertArrayEquals(new float[] {9}, Npy.read(in, "stream", ReadLimits.DEFAULT).toArray());
        assertEquals(-1, in.read());
    }

    @Test
    void readsDataLargerThanOneChunk() throws IOException {
        float[] values = new float[300_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.5f - 7;
        }
        byte[] file = npy("<f4", "(1000, 300)", f4(values));
        assertArrayEquals(values, readFile(file).toArray());
        assertArrayEquals(values, Npy.read(new ByteArrayInputStream(file), "s", ReadLimits.DEFAULT).toArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {">f4", ">f8", ">i4"})
    void rejectsBigEndian(String descr) throws IOException {
        assertMentions(rejected(npy(descr, "(1,)", new byte[8])), "big-endian", "'" + descr + "'", "'<");
    }

    @Test
    void rejectsNativeByteOrderOfMultiByteTypes() throws IOException {
        assertMentions(rejected(npy("=f4", "(1,)", f4(1))), "native byte order", "'=f4'");
    }

    @Test
    void rejectsFortranOrder() throws IOException {
        byte[] file = npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", f4(1, 2, 3, 4));
        assertMentions(rejected(file), "Fortran", "fortran_order False");
    }

    @ParameterizedTest
    @ValueSource(strings = {"<c8", "|O", "<U3", "|b1", "<f2", "<u4", "|S5", "f4", ""})
    void rejectsUnsupportedDtypes(String descr) throws IOException {
        assertMentions(rejected(npy(descr, "(1,)", new byte[16])), "unsupported dtype '" + descr + "'", "'<f4'");
    }

    @Test
    void rejectsStructuredDtype() throws IOException {
        byte[] file = npy(1, "{'descr': [('x', '<f4'), ('y', '<f4')], 'fortran_order': False, 'shape': (1,), }",
                f4(1, 2));
        assertMentions(rejected(file), "structured dtype [('x', '<f4'), ('y', '<f4')]");
    }

    @Test
    void rejectsBadMagic() throws IOException {
        assertMentions(rejected(ascii("hello, this is text\n")), "not a .npy file", "b'hello, t'");
        byte[] zip = bytes('P', 'K', 3, 4, 20, 0, 0, 0, 8, 0, 0, 0);
        assertMentions(rejected(zip), "not a .npy file", "NpzArchive");
    }

    @Test
    void rejectsFilesShorterThanThePreamble() throws IOException {
        assertMentions(rejected(bytes(0x93, 'N', 'U', 'M')), "at least 10 bytes", "after 4");
        assertMentions(rejected(new byte[0]), "at least 10 bytes");
        assertMentions(rejected(bytes(0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 0x40)), "2-byte header length");
    }

    @ParameterizedTest
    @ValueSource(ints = {0x0400, 0x0101, 0x0001, 0x0300 + 1})
    void rejectsUnsupportedVersions(int version) throws IOException {
        byte[] file = npy("<f4", "(1,)", f4(1));
        file[6] = (byte) (version >> 8);
        file[7] = (byte) version;
        assertMentions(rejected(file), "version " + (version >> 8) + "." + (version & 0xFF), "1.0, 2.0 or 3.0");
    }

    @Test
    void rejectsAbsurdHeaderLength() throws IOException {
        byte[] file = raw(2, 0, 0xFFFF_FFFFL, ascii("{}"), new byte[0]);
        assertMentions(rejected(file), "header length 4294967295", "1048576");
        assertMentions(rejected(raw(2, 0, (1 << 20) + 1, ascii("{}"), new byte[0])), "header length 1048577");
    }

    @Test
    void rejectsTruncatedHeader() throws IOException {
        byte[] header = ascii("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }\n");
        assertMentions(rejected(raw(1, 0, 500, header, new byte[0])), "truncated header");
        InputStream in = new ByteArrayInputStream(raw(1, 0, 500, header, new byte[0]));
        assertMentions(assertThrows(NpyFormatException.class, () -> Npy.read(in, "s", ReadLimits.DEFAULT)),
                "truncated header");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{'descr': '<f4', 'fortran_order': False}",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'extra': 1}",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'shape': (1,)}",
        "{'descr': '<f4', 'fortran_order': False, 'shape': [1]}",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (1)}",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (1.5,)}",
        "{'descr': '<f4', 'fortran_order': 0, 'shape': (1,)}",
        "{'descr': 4, 'fortran_order': False, 'shape': (1,)}",
        "{'descr': '<f4, 'fortran_order': False, 'shape': (1,)}",
        "{'descr': '<f4' 'fortran_order': False, 'shape': (1,)}",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (1,)} x",
        "{'descr': '<f4', 'fortran_order': false, 'shape': (1,)}",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (1,)",
        "{'descr': '<f4', 'fortran_order': False, 'shape': ((((((((((((((((((((((((((((((((((1,),),),),)}",
        "['descr', '<f4']",
        "",
    })
    void rejectsMalformedHeaders(String dict) throws IOException {
        assertMentions(rejected(npy(1, dict, f4(1))), "malformed header");
    }

    @Test
    void malformedHeaderMessageSaysWhatWasExpected() throws IOException {
        byte[] file = npy(1, "{'descr': '<f4', 'fortran_order': False}", f4(1));
        assertMentions(rejected(file), "'shape' is missing");
        file = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': [2]}", f4(1, 2));
        assertMentions(rejected(file), "expected 'shape' to be a tuple", "but got [2]");
    }

    @Test
    void rejectsEmptyShapes() throws IOException {
        assertMentions(rejected(npy("<f4", "(0,)", new byte[0])), "shape (0,) is empty");
        assertMentions(rejected(npy("<f4", "(3, 0)", new byte[0])), "shape (3, 0) is empty");
    }

    @Test
    void rejectsAbsurdShapesBeforeAllocating() throws IOException {
        assertMentions(rejected(npy("<f4", "(1099511627776,)", f4(1))),
                "(1099511627776,)", "ReadLimits.maxElements", "268435456");
        assertMentions(rejected(npy("<f4", "(100000, 100000, 100000)", f4(1))), "(100000, 100000, 100000)");
        assertMentions(rejected(npy("<f4", "(99999999999999999999999999999999, 0)", f4(1))), "is empty");
        String manyDims = "(" + "4294967296, ".repeat(2000) + ")";
        assertMentions(rejected(npy("<f4", manyDims, f4(1))), "ReadLimits.maxElements");
    }

    @Test
    void elementLimitIsConfigurable() throws IOException {
        ReadLimits ten = ReadLimits.DEFAULT.withMaxElements(10);
        Path file = dir.resolve("ten.npy");
        Files.write(file, npy("<f4", "(2, 5)", f4(new float[10])));
        assertEquals(10, Npy.read(file, ten).size());
        assertMentions(rejected(npy("<f4", "(11,)", f4(new float[11])), ten), "expected at most 10");
    }

    @Test
    void rejectsTruncatedDataInFile() throws IOException {
        NpyFormatException e = rejected(npy("<f8", "(2, 3)", f8(1, 2, 3, 4, 5)));
        assertMentions(e, "truncated data", "shape (2, 3) of '<f8'", "needs 48 bytes", "only 40");
    }

    @Test
    void rejectsTruncatedDataInStream() {
        byte[] file = npy("<f4", "(2, 3)", f4(1, 2, 3));
        NpyFormatException e = assertThrows(NpyFormatException.class,
                () -> Npy.read(new ByteArrayInputStream(file), "stream.npy", ReadLimits.DEFAULT));
        assertMentions(e, "stream.npy: truncated data", "needs 24 bytes", "only 12");
    }

    @Test
    void hugeDeclaredShapeOverShortInputAllocatesLittle() throws IOException {
        // 2^28 float64 elements: 2 GiB of data declared, 1 GiB of floats if allocated up front.
        byte[] file = npy("<f8", "(16384, 16384)", f8(1, 2, 3));
        Path path = dir.resolve("huge.npy");
        Files.write(path, file);
        long fromFile = Allocations.during(() -> assertMentions(
                assertThrows(NpyFormatException.class, () -> Npy.read(path)), "truncated data"));
        long fromStream = Allocations.during(() -> assertMentions(assertThrows(NpyFormatException.class,
                () -> Npy.read(new ByteArrayInputStream(file), "s", ReadLimits.DEFAULT)), "truncated data"));
        assertTrue(fromFile < 16 << 20, "allocated " + fromFile + " bytes reading a truncated file");
        assertTrue(fromStream < 16 << 20, "allocated " + fromStream + " bytes reading a truncated stream");
    }

    @Test
    void rejectsTrailingBytesInFile() throws IOException {
        byte[] file = npy("<f4", "(2,)", f4(1, 2, 3));
        assertMentions(rejected(file), "4 unexpected bytes after the data");
    }
}
