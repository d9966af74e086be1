package io.jarnn.io;

import io.jarnn.core.DType;
import io.jarnn.core.HilbertSpace;
import io.jarnn.core.npy.NpyFormatException;
import io.jarnn.core.npy.NpzArchive;
import io.jarnn.core.npy.ReadLimits;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNN64;
import io.jarnn.nn.ARNNConfig;
import io.jarnn.nn.ARNNConv1D;
import io.jarnn.nn.ARNNDense;
import io.jarnn.nn.AutoregressiveModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model files as bytes ({@link ModelFiles#toBytes}, {@link ModelFiles#load(byte[], String)},
 * the stream forms): the same bytes as the file, the same model back, and for every bad archive
 * the same exception as the file gives, with the caller's source where the file's path would be.
 */
class ModelFilesBytesTest {
    private static final String SOURCE = "the test's bytes";

    @TempDir
    Path dir;

    private static ARNNConfig smallConv() {
        return ARNNConv1D.builder(HilbertSpace.spin(0.5, 6)).layers(2).features(3).kernelSize(3).config();
    }

    @Test
    void theBytesAreTheFileByteForByteAndLoadBackBitForBit() throws IOException {
        AutoregressiveModel[] models = {
                ARNNDense.builder(HilbertSpace.spin(0.5, 7)).layers(3).features(5).build(1),
                ARNNConv1D.builder(HilbertSpace.fock(3, 6)).layers(2).features(4).kernelSize(4).dtype(DType.FLOAT64)
                        .build64(4)};
        for (AutoregressiveModel model : models) {
            Path file = dir.resolve("model.npz");
            ModelFiles.save(file, model);
            byte[] bytes = ModelFiles.toBytes(model);
            assertArrayEquals(Files.readAllBytes(file), bytes, "toBytes must equal the saved file");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ModelFiles.save(out, model);
            assertArrayEquals(bytes, out.toByteArray(), "save(OutputStream) must equal toBytes");

            for (AutoregressiveModel back : new AutoregressiveModel[] {ModelFiles.load(bytes, SOURCE),
                    ModelFiles.load(new ByteArrayInputStream(bytes), SOURCE)}) {
                assertEquals(model.config(), back.config());
                assertEquals(model.dtype(), back.dtype());
                switch (model) {
                    case ARNN m -> assertArrayEquals(m.flatParameters(), ((ARNN) back).flatParameters());
                    case ARNN64 m -> assertArrayEquals(m.flatParameters(), ((ARNN64) back).flatParameters());
                }
            }
        }
    }

    /** Loads {@code bytes} as a file and as bytes; both must fail alike, the source in place of the path. */
    private <E extends IOException> E sameErrorAsTheFile(Class<E> type, byte[] bytes, String name) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        E fromFile = assertThrows(type, () -> ModelFiles.load(file), name + " as a file");
        E fromBytes = assertThrows(type, () -> ModelFiles.load(bytes, SOURCE), name + " as bytes");
        assertEquals(fromFile.getMessage().replace(file.toString(), SOURCE), fromBytes.getMessage());
        return fromBytes;
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "expected '" + part + "' in: " + e.getMessage());
        }
    }

    @Test
    void aTruncatedByteArrayIsRefusedAsTruncatedWhereverItIsCut() throws IOException {
        byte[] whole = ModelFiles.toBytes(ARNN.initialise(smallConv(), 3));
        // Every cut, including those between two entries, which a sequential zip reader would take
        // for a shorter archive.
        for (int length = 0; length < whole.length; length++) {
            byte[] cut = Arrays.copyOf(whole, length);
            NpyFormatException e = assertThrows(NpyFormatException.class, () -> ModelFiles.load(cut, SOURCE),
                    "cut to " + length + " bytes");
            assertTrue(e.getMessage().startsWith(SOURCE + ": expected a zip archive (.npz) but it is"),
                    e.getMessage());
        }
        NpyFormatException e = assertThrows(NpyFormatException.class,
                () -> ModelFiles.load(new ByteArrayInputStream(Arrays.copyOf(whole, whole.length / 2)), SOURCE));
        assertMentions(e, SOURCE, "truncated");
    }

    @Test
    void anArchiveWithoutItsParametersGivesTheFilesMessage() throws IOException {
        ByteArrayOutputStream configOnly = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(configOnly)) { // deflated, with data descriptors
            zip.putNextEntry(new ZipEntry(ModelFiles.CONFIG_ENTRY));
            zip.write(ModelConfigJson.write(smallConv()).getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        ModelFileException e = sameErrorAsTheFile(ModelFileException.class, configOnly.toByteArray(), "short.npz");
        assertMentions(e, SOURCE, "_layers_0");
    }

    @Test
    void corruptDataIsCaughtByTheChecksumAsInAFile() throws IOException {
        byte[] bytes = ModelFiles.toBytes(ARNN.initialise(smallConv(), 3));
        int magic = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("\u0093NUMPY");
        assertTrue(magic > 0, "test setup: no .npy magic in the archive");
        bytes[magic + 128 + 2] ^= 0x40;
        NpyFormatException e = sameErrorAsTheFile(NpyFormatException.class, bytes, "corrupt.npz");
        assertMentions(e, "_layers_0/kernel", "CRC");
    }

    @Test
    void notAZipIsRefusedNamingTheSource() throws IOException {
        NpyFormatException e = sameErrorAsTheFile(NpyFormatException.class,
                "this is not a zip archive\n".getBytes(StandardCharsets.UTF_8), "text.npz");
        assertMentions(e, "expected a zip archive");
    }

    @Test
    void invalidModelsGiveTheFilesMessagesWithTheSource() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String json = ModelConfigJson.write(smallConv()).replaceFirst("\"bias\": true", "\"bias\": \"yes\"");
        NpzArchive.write(out, ARNN.initialise(smallConv(), 3).parameters(), Map.of(ModelFiles.CONFIG_ENTRY, json));
        Path file = dir.resolve("bad-config.npz");
        Files.write(file, out.toByteArray());
        ModelFileException fromFile = assertThrows(ModelFileException.class, () -> ModelFiles.load(file));
        ModelFileException fromBytes = assertThrows(ModelFileException.class,
                () -> ModelFiles.load(out.toByteArray(), SOURCE));
        assertEquals(fromFile.getMessage().replace(file.toString(), SOURCE), fromBytes.getMessage());
        assertEquals(SOURCE + ", jarnn-config.json: layers[0].bias: expected true or false but got the string \"yes\"",
                fromBytes.getMessage());

        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        NpzArchive.write(plain, ARNN.initialise(smallConv(), 3).parameters(), Map.of());
        ModelFileException noConfig = sameErrorAsTheFile(ModelFileException.class, plain.toByteArray(), "plain.npz");
        assertMentions(noConfig, "expected a jarnn model file with a 'jarnn-config.json' entry");
    }

    @Test
    void theByteBudgetHoldsForBytesToo() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NpzArchive.write(out, ARNN.initialise(smallConv(), 3).parameters(),
                Map.of(ModelFiles.CONFIG_ENTRY, ModelConfigJson.write(smallConv())));
        ReadLimits tiny = ReadLimits.DEFAULT.withMaxTotalBytes(64);
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> ModelFiles.load(out.toByteArray(), SOURCE,
                tiny));
        assertMentions(e, SOURCE, "maxTotalBytes");
    }

    @Test
    void missingArgumentsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelFiles.load((byte[]) null, SOURCE));
        assertTrue(e.getMessage().startsWith("bytes: expected"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModelFiles.load(new byte[0], " "));
        assertTrue(e.getMessage().startsWith("source: expected"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModelFiles.toBytes(null));
        assertTrue(e.getMessage().startsWith("model: expected"), e.getMessage());
    }
}
