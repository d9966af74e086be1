package io.jarnn.core.npy;

import static io.jarnn.core.npy.NpyBytes.ascii;
import static io.jarnn.core.npy.NpyBytes.f4;
import static io.jarnn.core.npy.NpyBytes.f8;
import static io.jarnn.core.npy.NpyBytes.i8;
import static io.jarnn.core.npy.NpyBytes.npy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jarnn.core.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NpzArchiveTest {
    @TempDir
    Path dir;

    private Path file(byte[] content) throws IOException {
        Path path = dir.resolve("params.npz");
        Files.write(path, content);
        return path;
    }

    private NpyFormatException rejected(byte[] zip, ReadLimits limits) throws IOException {
        Path path = file(zip);
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> NpzArchive.read(path, limits));
        assertTrue(e.getMessage().startsWith(path.toString()), e.getMessage());
        return e;
    }

    private NpyFormatException rejected(byte[] zip) throws IOException {
        return rejected(zip, ReadLimits.DEFAULT);
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "expected '" + part + "' in: " + e.getMessage());
        }
    }

    private static Map<String, Tensor> netketLikeParameters() {
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("_layers_0/kernel", Tensor.wrap(new float[] {0.5f, -1.25f, 3e-8f, Float.NaN, -0f, 7}, 2, 3));
        params.put("_layers_0/bias", Tensor.wrap(new float[] {1, 2, 3}, 3));
        params.put("_conditionals/embedding", Tensor.wrap(new float[] {9}, 1));
        return params;
    }

    @Test
    void roundTripsArraysAndTextsInOrder() throws IOException {
        Map<String, Tensor> params = netketLikeParameters();
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("jarnn-config.json", "{\"model\": \"ARNNDense\", \"note\": \"σ → ψ\"}");
        texts.put("notes/readme.txt", "");
        Path path = dir.resolve("model.npz");
        NpzArchive.write(path, params, texts);

        NpzArchive archive = NpzArchive.read(path);
        assertEquals(List.copyOf(params.keySet()), List.copyOf(archive.keys()));
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            assertTrue(archive.get(e.getKey()).contentEquals(e.getValue()), e.getKey());
        }
        assertEquals(texts, archive.texts());
        assertEquals(List.copyOf(texts.keySet()), List.copyOf(archive.texts().keySet()));
        assertEquals(Optional.of(texts.get("jarnn-config.json")), archive.text("jarnn-config.json"));
        assertEquals(Optional.empty(), archive.text("other.json"));
        assertTrue(archive.contains("_layers_0/bias"));
    }

    @Test
    void writesStoredNpyEntriesThatNumpyLoadReads() throws IOException {
        Map<String, Tensor> params = netketLikeParameters();
        Path path = dir.resolve("model.npz");
        NpzArchive.write(path, params, Map.of("jarnn-config.json", "{}"));
        try (ZipFile zip = new ZipFile(path.toFile())) {
            List<String> names = new ArrayList<>();
            for (ZipEntry e : Collections.list(zip.entries())) {
                names.add(e.getName());
                assertEquals(ZipEntry.STORED, e.getMethod(), e.getName());
            }
            assertEquals(List.of("_layers_0/kernel.npy", "_layers_0/bias.npy", "_conditionals/embedding.npy",
                    "jarnn-config.json"), names);
            for (Map.Entry<String, Tensor> e : params.entrySet()) {
                ByteArrayOutputStream expected = new ByteArrayOutputStream();
                Npy.write(expected, e.getValue());
                assertArrayEquals(expected.toByteArray(),
                        zip.getInputStream(zip.getEntry(e.getKey() + ".npy")).readAllBytes(), e.getKey());
            }
            assertArrayEquals(ascii("{}"), zip.getInputStream(zip.getEntry("jarnn-config.json")).readAllBytes());
        }
    }

    @Test
    void writingTheSameContentTwiceGivesIdenticalFiles() throws IOException {
        Path first = dir.resolve("a.npz");
        Path second = dir.resolve("b.npz");
        NpzArchive.write(first, netketLikeParameters());
        NpzArchive.write(second, netketLikeParameters());
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
    }

    /** The stream form (for an archive in an {@link AtomicFileSet}) writes the file's bytes and leaves the stream open. */
    @Test
    void writingToAStreamGivesTheFilesBytesAndLeavesTheStreamOpen() throws IOException {
        Path file = dir.resolve("a.npz");
        NpzArchive.write(file, netketLikeParameters(), Map.of("jarnn-config.json", "{}"));
        boolean[] closed = {false};
        ByteArrayOutputStream out = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        NpzArchive.write(out, netketLikeParameters(), Map.of("jarnn-config.json", "{}"));
        assertArrayEquals(Files.readAllBytes(file), out.toByteArray());
        assertEquals(false, closed[0], "the caller's stream is not closed");
        Map<String, Tensor> bad = new LinkedHashMap<>(netketLikeParameters());
        bad.put("../escape", Tensor.zeros(1));
        ByteArrayOutputStream untouched = new ByteArrayOutputStream();
        assertThrows(IllegalArgumentException.class, () -> NpzArchive.write(untouched, bad, Map.of()));
        assertEquals(0, untouched.size(), "nothing written before the keys are checked");
    }

    @Test
    void readsAPlainNumpySavezArchive() throws IOException {
        byte[] zip = new ZipBytes()
                .stored("_layers_0/kernel.npy", npy("<f8", "(2, 2)", f8(0.1, -0.2, 0.3, -0.4)))
                .stored("_layers_0/bias.npy", npy("<f4", "(2,)", f4(5, 6)))
                .stored("visible_bias.npy", npy("<f8", "()", f8(-1.5)))
                .toByteArray();
        NpzArchive archive = NpzArchive.read(file(zip));
        assertEquals(List.of("_layers_0/kernel", "_layers_0/bias", "visible_bias"), List.copyOf(archive.keys()));
        assertArrayEquals(new float[] {0.1f, -0.2f, 0.3f, -0.4f}, archive.get("_layers_0/kernel").toArray());
        assertArrayEquals(new int[] {2, 2}, archive.get("_layers_0/kernel").shape());
        assertArrayEquals(new float[] {-1.5f}, archive.get("visible_bias").toArray());
        assertTrue(archive.texts().isEmpty());
    }

    @Test
    void readsDeflatedEntriesAsSavezCompressedWrites() throws IOException {
        float[] big = new float[50_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (i % 17) * 0.25f;
        }
        byte[] zip = new ZipBytes()
                .deflated("w.npy", npy("<f4", "(250, 200)", f4(big)))
                .deflated("samples.npy", npy("<i8", "(2, 3)", i8(1, -1, 1, -1, -1, 1)))
                .deflated("jarnn-config.json", ascii("{\"a\": 1}"))
                .toByteArray();
        NpzArchive archive = NpzArchive.read(file(zip));
        assertArrayEquals(big, archive.get("w").toArray());
        assertArrayEquals(new float[] {1, -1, 1, -1, -1, 1}, archive.get("samples").toArray());
        assertEquals("{\"a\": 1}", archive.texts().get("jarnn-config.json"));
    }

    @Test
    void skipsDirectoryEntries() throws IOException {
        byte[] zip = new ZipBytes().stored("_layers_0/", new byte[0])
                .stored("_layers_0/bias.npy", npy("<f4", "(1,)", f4(2))).toByteArray();
        assertEquals(List.of("_layers_0/bias"), List.copyOf(NpzArchive.read(file(zip)).keys()));
    }

    @Test
    void getNamesTheMissingKeyAndTheAvailableOnes() throws IOException {
        Path path = dir.resolve("model.npz");
        NpzArchive.write(path, netketLikeParameters());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NpzArchive.read(path).get("_layers_1/kernel"));
        assertMentions(e, "'_layers_1/kernel'", path.toString(), "_layers_0/kernel, _layers_0/bias");
    }

    @Test
    void rejectsAnEntryDeclaringMoreThanTheTotalCap() throws IOException {
        byte[] zip = new ZipBytes().deflated("bomb.npy", npy("<f4", "(12500000,)", new byte[50_000_000]))
                .toByteArray();
        assertTrue(zip.length < 200_000, "a zip bomb: " + zip.length + " bytes");
        NpyFormatException e = rejected(zip, ReadLimits.DEFAULT.withMaxTotalBytes(1 << 20));
        assertMentions(e, "key 'bomb'", "declares 50000128 bytes", "ReadLimits.maxTotalBytes");
    }

    @Test
    void stopsInflatingAZipBombThatUnderstatesItsSize() throws IOException {
        byte[] zip = new ZipBytes().deflated("bomb.npy", npy("<f4", "(12500000,)", new byte[50_000_000]))
                .toByteArray();
        ZipBytes.declareSize(zip, "bomb.npy", 1000);
        Path path = file(zip);
        ReadLimits limits = ReadLimits.DEFAULT.withMaxTotalBytes(1 << 20);
        long allocated = Allocations.during(() -> assertMentions(
                assertThrows(NpyFormatException.class, () -> NpzArchive.read(path, limits)),
                "key 'bomb'", "expands to more", "ReadLimits.maxTotalBytes"));
        assertTrue(allocated < 16 << 20, "allocated " + allocated + " bytes");
    }

    @Test
    void totalCapCountsAllEntriesTogether() throws IOException {
        byte[] entry = npy("<f4", "(100000,)", new byte[400_000]);
        byte[] zip = new ZipBytes().stored("a.npy", entry).stored("b.npy", entry).stored("c.npy", entry)
                .toByteArray();
        Path path = file(zip);
        assertEquals(3, NpzArchive.read(path, ReadLimits.DEFAULT.withMaxTotalBytes(3L * entry.length)).keys().size());
        NpyFormatException e = assertThrows(NpyFormatException.class,
                () -> NpzArchive.read(path, ReadLimits.DEFAULT.withMaxTotalBytes(3L * entry.length - 1)));
        assertMentions(e, "key 'c'", "ReadLimits.maxTotalBytes");
    }

    @Test
    void rejectsAStoredEntryDeclaringMoreBytesThanTheArchiveHolds() throws IOException {
        byte[] zip = new ZipBytes().stored("w.npy", npy("<f4", "(2,)", f4(1, 2))).toByteArray();
        ZipBytes.declareSize(zip, "w.npy", 1_000_000_000);
        Path path = file(zip);
        long allocated = Allocations.during(() -> {
            NpyFormatException e = assertThrows(NpyFormatException.class, () -> NpzArchive.read(path));
            assertMentions(e, "key 'w'", "declares 1000000000 stored bytes", "only " + zip.length);
        });
        assertTrue(allocated < 16 << 20, "allocated " + allocated + " bytes");
    }

    @Test
    void rejectsTooManyEntries() throws IOException {
        ZipBytes builder = new ZipBytes();
        for (int i = 0; i < 4; i++) {
            builder.stored("a" + i + ".npy", npy("<f4", "(1,)", f4(i)));
        }
        byte[] zip = builder.toByteArray();
        assertEquals(4, NpzArchive.read(file(zip), ReadLimits.DEFAULT.withMaxEntries(4)).keys().size());
        assertMentions(rejected(zip, ReadLimits.DEFAULT.withMaxEntries(3)),
                "at most 3 entries", "ReadLimits.maxEntries", "has 4");
    }

    @Test
    void rejectsDuplicateKeys() throws IOException {
        byte[] zip = new ZipBytes().stored("w1.npy", npy("<f4", "(1,)", f4(1)))
                .stored("w2.npy", npy("<f4", "(1,)", f4(2))).toByteArray();
        ZipBytes.replaceAll(zip, "w2.npy", "w1.npy");
        assertMentions(rejected(zip), "key 'w1'", "appears twice");
    }

    @Test
    void rejectsDuplicateTextEntries() throws IOException {
        byte[] zip = new ZipBytes().stored("a.json", ascii("{}")).stored("b.json", ascii("[]")).toByteArray();
        ZipBytes.replaceAll(zip, "b.json", "a.json");
        assertMentions(rejected(zip), "text entry 'a.json'", "appears twice");
    }

    @ParameterizedTest
    @ValueSource(strings = {"readme.md", "weights.npy.bak", "data.csv", "model.pkl"})
    void rejectsEntriesThatAreNeitherArraysNorText(String name) throws IOException {
        byte[] zip = new ZipBytes().stored("ok.npy", npy("<f4", "(1,)", f4(1))).stored(name, ascii("x"))
                .toByteArray();
        assertMentions(rejected(zip), "'" + name + "'", "'.npy'", ".json");
    }

    @Test
    void rejectsAnEmptyKey() throws IOException {
        byte[] zip = new ZipBytes().stored(".npy", npy("<f4", "(1,)", f4(1))).toByteArray();
        assertMentions(rejected(zip), "non-empty key", "'.npy'");
    }

    @Test
    void rejectsAFileThatIsNotAZip() throws IOException {
        assertMentions(rejected(ascii("this is certainly not a zip archive, just some text\n".repeat(10))),
                "expected a zip archive");
        assertMentions(rejected(npy("<f4", "(1,)", f4(1))), "expected a zip archive");
        assertMentions(rejected(new byte[0]), "expected a zip archive");
    }

    @Test
    void rejectsATruncatedZip() throws IOException {
        byte[] zip = new ZipBytes().stored("a.npy", npy("<f4", "(1000,)", new byte[4000])).toByteArray();
        assertMentions(rejected(java.util.Arrays.copyOf(zip, zip.length / 2)), "expected a zip archive",
                "truncated");
        assertMentions(rejected(java.util.Arrays.copyOf(zip, zip.length - 5)), "expected a zip archive");
    }

    @Test
    void rejectsCorruptStoredDataByItsCrc() throws IOException {
        byte[] zip = new ZipBytes().stored("w.npy", npy("<f4", "(100,)", new byte[400])).toByteArray();
        int magic = ZipBytes.indexOf(zip, new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'});
        zip[magic + 128 + 41] ^= 0x40;
        assertMentions(rejected(zip), "key 'w'", "CRC");
    }

    @Test
    void rejectsCorruptDeflatedData() throws IOException {
        float[] values = new float[20_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.sin(i);
        }
        byte[] zip = new ZipBytes().deflated("w.npy", npy("<f4", "(20000,)", f4(values))).toByteArray();
        for (int i = 0; i < 64; i++) {
            zip[200 + 37 * i] ^= (byte) 0xA5;
        }
        NpyFormatException e = rejected(zip);
        assertTrue(e.source().endsWith("params.npz, key 'w'"), e.getMessage());
    }

    @Test
    void arrayProblemsNameTheFileAndTheKey() throws IOException {
        byte[] zip = new ZipBytes().stored("ok.npy", npy("<f4", "(1,)", f4(1)))
                .stored("_layers_0/kernel.npy", npy(">f4", "(1,)", f4(1))).toByteArray();
        NpyFormatException e = rejected(zip);
        assertEquals(dir.resolve("params.npz") + ", key '_layers_0/kernel'", e.source());
        assertMentions(e, "big-endian", "'>f4'");
    }

    @Test
    void rejectsTruncatedAndOverlongArrayEntries() throws IOException {
        byte[] shortData = new ZipBytes().deflated("w.npy", npy("<f4", "(4,)", f4(1, 2, 3))).toByteArray();
        assertMentions(rejected(shortData), "key 'w'", "truncated data", "needs 16 bytes", "only 12");
        byte[] shortStored = new ZipBytes().stored("w.npy", npy("<f4", "(4,)", f4(1, 2, 3))).toByteArray();
        assertMentions(rejected(shortStored), "key 'w'", "truncated data");
        byte[] trailing = new ZipBytes().deflated("w.npy", npy("<f4", "(2,)", f4(1, 2, 3))).toByteArray();
        assertMentions(rejected(trailing), "key 'w'", "more bytes follow");
        byte[] trailingStored = new ZipBytes().stored("w.npy", npy("<f4", "(2,)", f4(1, 2, 3))).toByteArray();
        assertMentions(rejected(trailingStored), "key 'w'", "unexpected bytes after the data");
    }

    @Test
    void absurdShapesInsideAnArchiveAreRejectedBeforeAllocating() throws IOException {
        byte[] zip = new ZipBytes().deflated("w.npy", npy("<f4", "(100000, 100000, 100000)", f4(1)))
                .deflated("v.npy", npy("<f8", "(16384, 16384)", f8(1))).toByteArray();
        NpyFormatException e = rejected(zip);
        assertMentions(e, "key 'w'", "ReadLimits.maxElements");
        byte[] second = new ZipBytes().deflated("v.npy", npy("<f8", "(16384, 16384)", f8(1))).toByteArray();
        Path path = file(second);
        long allocated = Allocations.during(() -> assertMentions(
                assertThrows(NpyFormatException.class, () -> NpzArchive.read(path)), "key 'v'", "truncated data"));
        assertTrue(allocated < 16 << 20, "allocated " + allocated + " bytes");
    }

    @Test
    void rejectsTextThatIsNotUtf8() throws IOException {
        byte[] zip = new ZipBytes().stored("jarnn-config.json", new byte[] {'{', (byte) 0xC3, '}'}).toByteArray();
        assertMentions(rejected(zip), "text entry 'jarnn-config.json'", "UTF-8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/abs", "a//b", "../up", "a/./b", "trailing/", "back\\slash", "nul\u0000", "tab\tkey"})
    void writeRejectsUnsafeKeys(String key) {
        Map<String, Tensor> arrays = new HashMap<>();
        arrays.put(key, Tensor.zeros(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NpzArchive.write(dir.resolve("x.npz"), arrays));
        assertTrue(e.getMessage().startsWith("arrays: expected"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("x.npz")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"config", "config.yaml", "x.npy", "../config.json"})
    void writeRejectsTextNamesThatWouldNotReadBackAsText(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NpzArchive.write(dir.resolve("x.npz"), Map.of(), Map.of(name, "{}")));
        assertTrue(e.getMessage().startsWith("texts: expected"), e.getMessage());
    }

    @Test
    void writeRejectsNullValues() {
        Map<String, Tensor> arrays = new HashMap<>();
        arrays.put("w", null);
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> NpzArchive.write(dir.resolve("x.npz"), arrays)), "arrays", "'w'", "null");
        Map<String, String> texts = new HashMap<>();
        texts.put("c.json", null);
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> NpzArchive.write(dir.resolve("x.npz"), Map.of(), texts)), "texts", "'c.json'", "null");
    }
}
