package io.jarnn.io;

import io.jarnn.core.DType;
import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import io.jarnn.core.npy.NpyFormatException;
import io.jarnn.core.npy.NpzArchive;
import io.jarnn.core.npy.ReadLimits;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNN64;
import io.jarnn.nn.ARNNConfig;
import io.jarnn.nn.ARNNConv1D;
import io.jarnn.nn.ARNNConv2D;
import io.jarnn.nn.ARNNDense;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelFilesTest {
    @TempDir
    Path dir;

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("dense spin-1/2", ARNNDense.builder(HilbertSpace.spin(0.5, 7)).layers(3).features(5).build(1)),
                Arguments.of("dense no bias p=0.7", ARNNDense.builder(HilbertSpace.spin(1, 5)).layers(2).features(4)
                        .bias(false).machinePow(0.7f).build(2)),
                Arguments.of("conv d=2", ARNNConv1D.builder(HilbertSpace.spin(0.5, 9)).layers(3).features(6, 5, 2)
                        .kernelSize(3).dilation(2).build(3)),
                Arguments.of("conv fock", ARNNConv1D.builder(HilbertSpace.fock(3, 6)).layers(2).features(4)
                        .kernelSize(4).build(4)),
                Arguments.of("conv2d (3, 2) d=(1, 2)", ARNNConv2D.builder(HilbertSpace.spin(0.5, 16)).layers(3).features(5)
                        .kernelSize(3, 2).dilation(1, 2).build(6)),
                Arguments.of("dense values", ARNNDense.builder(HilbertSpace.ofLocalValues(4, -1f, 0f, 2.5f)).layers(2)
                        .features(3).build(5)));
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "expected '" + part + "' in: " + e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void savedModelLoadsWithTheSameConfigParametersAndConditionalsBitForBit(String name, ARNN model) throws IOException {
        Path file = dir.resolve("model.npz");
        ModelFiles.save(file, model);
        ARNN loaded = (ARNN) ModelFiles.load(file);

        assertEquals(model.config(), loaded.config());
        Map<String, Tensor> expected = model.parameters();
        Map<String, Tensor> actual = loaded.parameters();
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()));
        expected.forEach((key, t) -> assertTrue(t.contentEquals(actual.get(key)), key + ": parameters differ"));
        Tensor sigma = model.hilbert().randomConfigurations(33, 7);
        Tensor before = model.conditionals(sigma);
        Tensor after = loaded.conditionals(sigma);
        assertTrue(before.contentEquals(after), () -> "conditionals differ by up to " + before.maxAbsDifference(after));
        assertTrue(model.logPsi(sigma).contentEquals(loaded.logPsi(sigma)), "logPsi differs");
    }

    @Test
    void savedFileIsAPlainNpzWithNetKetKeysAndTheConfigEntry() throws IOException {
        ARNN model = ARNNDense.builder(HilbertSpace.spin(0.5, 4)).layers(2).features(3).build(9);
        Path file = dir.resolve("model.npz");
        ModelFiles.save(file, model);
        NpzArchive archive = NpzArchive.read(file);
        assertEquals(List.of("_layers_0/kernel", "_layers_0/bias", "_layers_1/kernel", "_layers_1/bias"),
                List.copyOf(archive.keys()));
        assertArrayEquals(new int[]{4, 12}, archive.get("_layers_0/kernel").shape());
        assertArrayEquals(new int[]{4, 3}, archive.get("_layers_0/bias").shape());
        assertEquals(ModelConfigJson.write(model.config()), archive.text(ModelFiles.CONFIG_ENTRY).orElseThrow());
        assertEquals(List.of("model.npz"), listDir(), "no temporary file left behind");
    }

    private List<String> listDir() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    // ---------------------------------------------------------------- plain NetKet parameter files

    private static ARNNConfig smallConv() {
        return ARNNConv1D.builder(HilbertSpace.spin(0.5, 6)).layers(2).features(3).kernelSize(3).config();
    }

    private Path netKetFile(Map<String, Tensor> params) throws IOException {
        Path file = dir.resolve("netket.npz");
        NpzArchive.write(file, params);
        return file;
    }

    @Test
    void plainNetKetParametersLoadWithAGivenConfig() throws IOException {
        ARNN model = ARNN.initialise(smallConv(), 3);
        Path file = netKetFile(model.parameters());
        ARNN loaded = (ARNN) ModelFiles.loadParameters(file, smallConv());
        Tensor sigma = model.hilbert().randomConfigurations(5, 1);
        assertTrue(model.conditionals(sigma).contentEquals(loaded.conditionals(sigma)));

        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.load(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertMentions(e, "jarnn-config.json", "loadParameters", "_layers_0/kernel");
    }

    @Test
    void float64ParametersLoadAsFloat64UnlessFloat32IsAskedFor() throws IOException {
        ARNN model = ARNN.initialise(smallConv(), 3);
        Path file = dir.resolve("f8.npz");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, Tensor> e : model.parameters().entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                zip.write(npyFloat64(e.getValue()));
                zip.closeEntry();
            }
        }
        ARNN64 wide = (ARNN64) ModelFiles.loadParameters(file, smallConv());
        assertEquals(smallConv().withDType(DType.FLOAT64), wide.config());
        model.parameters().forEach((k, t) -> assertTrue(t.toDoublePrecision().contentEquals(wide.parameters().get(k)), k));
        ARNN loaded = (ARNN) ModelFiles.loadParameters(file, smallConv(), ReadLimits.DEFAULT, DType.FLOAT32);
        model.parameters().forEach((k, t) -> assertTrue(t.contentEquals(loaded.parameters().get(k)), k));
    }

    static Stream<Arguments> mismatchedParameters() {
        ARNN model = ARNN.initialise(smallConv(), 3);
        Map<String, Tensor> missing = new LinkedHashMap<>(model.parameters());
        missing.remove("_layers_1/bias");
        Map<String, Tensor> extra = new LinkedHashMap<>(model.parameters());
        extra.put("_layers_2/kernel", Tensor.zeros(3, 2, 2));
        Map<String, Tensor> misShaped = new LinkedHashMap<>(model.parameters());
        misShaped.put("_layers_1/kernel", Tensor.zeros(2, 3, 2));
        Map<String, Tensor> nan = new LinkedHashMap<>(model.parameters());
        Tensor bias = Tensor.zeros(3);
        bias.set(Float.NaN, 1);
        nan.put("_layers_0/bias", bias);
        Map<String, Tensor> wrapped = new LinkedHashMap<>();
        model.parameters().forEach((k, v) -> wrapped.put("params/" + k, v));
        return Stream.of(
                Arguments.of("missing", missing, List.of("_layers_1/bias", "missing")),
                Arguments.of("extra", extra, List.of("_layers_2/kernel", "unexpected")),
                Arguments.of("mis-shaped", misShaped, List.of("_layers_1/kernel", "(3, 3, 2)", "(2, 3, 2)")),
                Arguments.of("NaN", nan, List.of("_layers_0/bias", "[1]", "NaN")),
                Arguments.of("flax variables", wrapped, List.of("variables['params']")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mismatchedParameters")
    void parametersThatDoNotFitTheConfigAreRejectedNamingTheKey(String name, Map<String, Tensor> params,
                                                                  List<String> mentions) throws IOException {
        Path file = netKetFile(params);
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.loadParameters(file, smallConv()));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertMentions(e, mentions.toArray(String[]::new));
    }

    @Test
    void aModelFileLoadedWithADifferentConfigIsRejected() throws IOException {
        ARNN model = ARNN.initialise(smallConv(), 3);
        Path file = dir.resolve("model.npz");
        ModelFiles.save(file, model);
        assertEquals(model.config(), ModelFiles.loadParameters(file, smallConv()).config());
        ARNNConfig otherPow = smallConv().withMachinePow(1f);
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.loadParameters(file, otherPow));
        assertMentions(e, "describes", "machine_pow=2.0", "machine_pow=1.0");
    }

    // ---------------------------------------------------------------- bad configuration entries

    private Path withConfig(String json) throws IOException {
        Path file = dir.resolve("model.npz");
        NpzArchive.write(file, ARNN.initialise(smallConv(), 3).parameters(), Map.of(ModelFiles.CONFIG_ENTRY, json));
        return file;
    }

    @Test
    void aBadConfigEntryIsRejectedNamingTheFileEntryAndField() throws IOException {
        String good = ModelConfigJson.write(smallConv());
        Path file = withConfig(good.replaceFirst("\"bias\": true", "\"bias\": \"yes\""));
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.load(file));
        assertEquals(file + ", jarnn-config.json: layers[0].bias: expected true or false but got the string \"yes\"",
                e.getMessage());

        Path broken = withConfig(good.substring(0, good.length() / 2));
        e = assertThrows(ModelFileException.class, () -> ModelFiles.load(broken));
        assertMentions(e, "jarnn-config.json: invalid JSON at line");
    }

    @Test
    void aConfigWhoseParametersDisagreeIsRejectedNamingTheKey() throws IOException {
        String json = ModelConfigJson.write(smallConv()).replaceFirst("\"features\": 3", "\"features\": 4");
        Path file = withConfig(json);
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.load(file));
        assertMentions(e, "_layers_0/kernel", "(2, 1, 4)", "(2, 1, 3)");
    }

    @Test
    void aHugeDeclaredSiteCountFailsBeforeAnyForwardCouldAllocate() throws IOException {
        // A conv1d model's parameters do not depend on N, so only the configuration can bound it.
        String json = ModelConfigJson.write(smallConv()).replace("\"N\": 6", "\"N\": 2000000000");
        Path file = withConfig(json);
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.load(file));
        assertMentions(e, "hilbert.N", "activations per sample", "ReadLimits.maxElements");
    }

    @Test
    void aModelThatCouldNotBeLoadedIsRefusedBeforeAnythingIsWritten() throws IOException {
        // Conv1d parameters do not depend on N, so such a model can be built; its file could not
        // be loaded (one sample's activations exceed ReadLimits.maxElements), so neither saver writes.
        ARNN model = ARNN.initialise(
                ARNNConv1D.builder(HilbertSpace.spin(0.5, 20_000_000)).layers(2).features(16).kernelSize(2).config(), 3);
        Path file = dir.resolve("unloadable.npz");
        IllegalArgumentException toFile = assertThrows(IllegalArgumentException.class, () -> ModelFiles.save(file, model));
        assertMentions(toFile, "hilbert.N", "activations per sample", "ReadLimits.maxElements");
        assertFalse(Files.exists(file), "no file, not even an empty one");
        try (var listing = Files.list(dir)) {
            assertEquals(List.of(), listing.toList(), "no temporary file left beside it");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        IllegalArgumentException toStream = assertThrows(IllegalArgumentException.class, () -> ModelFiles.save(out, model));
        assertEquals(toFile.getMessage(), toStream.getMessage());
        assertEquals(0, out.size(), "no byte written to the stream");
    }

    // ---------------------------------------------------------------- unreadable files

    private Path savedModelBytes() throws IOException {
        Path file = dir.resolve("model.npz");
        ModelFiles.save(file, ARNN.initialise(smallConv(), 3));
        return file;
    }

    @Test
    void truncatedFilesFailCleanlyNamingTheFile() throws IOException {
        byte[] whole = Files.readAllBytes(savedModelBytes());
        for (int length : new int[]{0, 3, 30, whole.length / 2, whole.length - 1}) {
            Path cut = dir.resolve("cut-" + length + ".npz");
            Files.write(cut, Arrays.copyOf(whole, length));
            NpyFormatException e = assertThrows(NpyFormatException.class, () -> ModelFiles.load(cut), "length " + length);
            assertTrue(e.getMessage().startsWith(cut.toString()), e.getMessage());
        }
    }

    @Test
    void corruptDataIsCaughtByTheChecksum() throws IOException {
        Path file = savedModelBytes();
        byte[] bytes = Files.readAllBytes(file);
        // The first entry is _layers_0/kernel; its .npy header (numpy.save pads it to 128 bytes) precedes the floats.
        int magic = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("\u0093NUMPY");
        assertTrue(magic > 0, "test setup: no .npy magic in the archive");
        bytes[magic + 128 + 2] ^= 0x40;
        Files.write(file, bytes);
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> ModelFiles.load(file));
        assertMentions(e, "_layers_0/kernel", "CRC");
    }

    @Test
    void notAZipAndMissingFilesFailCleanly() throws IOException {
        Path text = dir.resolve("model.npz");
        Files.writeString(text, "this is not a zip archive\n");
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> ModelFiles.load(text));
        assertMentions(e, "expected a zip archive");
        assertThrows(NoSuchFileException.class, () -> ModelFiles.load(dir.resolve("absent.npz")));
    }

    /**
     * The well-formed compressed bomb: a small .npz whose deflated kernel entry declares
     * 2^26 float32 zeros (256 MiB) where the configuration wants (2, 1, 3). Its shape is refused
     * from the header, before a byte of data is inflated: the load allocates kilobytes, not the
     * 256 MiB the entry declares (before: the whole array was inflated, then rejected).
     */
    @Test
    void aCompressedEntryOfTheWrongShapeIsRefusedBeforeItIsInflated() throws IOException {
        Path bomb = dir.resolve("bomb.npz");
        int elements = 1 << 26;
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(bomb))) {
            zip.putNextEntry(new ZipEntry(ModelFiles.CONFIG_ENTRY));
            zip.write(ModelConfigJson.write(smallConv()).getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("_layers_0/kernel.npy"));
            zip.write(npyHeader("<f4", "(" + elements + ",)"));
            byte[] zeros = new byte[1 << 20];
            for (int written = 0; written < elements * 4L; written += zeros.length) {
                zip.write(zeros);
            }
            zip.closeEntry();
        }
        assertTrue(Files.size(bomb) < 1_000_000, "test setup: the bomb should be small on disk");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (boolean withConfig : new boolean[]{false, true}) {
            long before = threads.getCurrentThreadAllocatedBytes();
            ModelFileException e = assertThrows(ModelFileException.class, () -> {
                if (withConfig) {
                    ModelFiles.loadParameters(bomb, smallConv());
                } else {
                    ModelFiles.load(bomb);
                }
            });
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertMentions(e, bomb.toString(), "_layers_0/kernel", "expected shape (2, 1, 3)",
                    "declares (" + elements + ",)", "refused before reading its data");
            assertTrue(allocated < 16 << 20, "allocated " + allocated + " bytes to refuse a 256 MiB entry");
        }
    }

    @Test
    void aZipBombStopsAtTheByteBudget() throws IOException {
        // An entry of an admitted shape that inflates past the budget: the budget still bounds it.
        Path bomb = dir.resolve("bomb.npz");
        ARNNConfig wide = ARNNConv1D.builder(HilbertSpace.spin(0.5, 6)).layers(2).features(1 << 11).kernelSize(3)
                .config(); // _layers_1/kernel is (3, 2048, 2): 12288 floats
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(bomb))) {
            zip.putNextEntry(new ZipEntry(ModelFiles.CONFIG_ENTRY));
            zip.write(ModelConfigJson.write(wide).getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("_layers_1/kernel.npy"));
            zip.write(npyHeader("<f4", "(3, 2048, 2)"));
            zip.write(new byte[3 * 2048 * 2 * 4]);
            zip.closeEntry();
        }
        ReadLimits limits = ReadLimits.DEFAULT.withMaxTotalBytes(1 << 14);
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> ModelFiles.load(bomb, limits));
        assertMentions(e, bomb.toString(), "_layers_1/kernel", "maxTotalBytes");
        e = assertThrows(NpyFormatException.class, () -> ModelFiles.loadParameters(bomb, wide, limits));
        assertMentions(e, "_layers_1/kernel");
    }

    @Test
    void aHugeDeclaredShapeFailsBeforeAllocating() throws IOException {
        Path file = dir.resolve("huge.npz");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("_layers_0/kernel.npy"));
            zip.write(npyHeader("<f4", "(100000, 100000, 100000)"));
            zip.write(new byte[64]);
            zip.closeEntry();
        }
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> ModelFiles.loadParameters(file, smallConv()));
        assertMentions(e, "_layers_0/kernel");
    }

    @Test
    void savingIntoAMissingDirectoryFailsAndCreatesNothing() {
        Path target = dir.resolve("absent").resolve("model.npz");
        ARNN model = ARNN.initialise(smallConv(), 3);
        assertThrows(IOException.class, () -> ModelFiles.save(target, model));
        assertFalse(Files.exists(target.getParent()));
    }

    // ---------------------------------------------------------------- .npy bytes for hostile files

    /** A version 1.0 .npy header for {@code descr} and {@code shape} (Python tuple text), padded to 64 bytes. */
    static byte[] npyHeader(String descr, String shape) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int unpadded = 10 + dict.length() + 1;
        int total = (unpadded + 63) / 64 * 64;
        String header = dict + " ".repeat(total - unpadded) + "\n";
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    private static byte[] npyFloat64(Tensor t) {
        StringBuilder shape = new StringBuilder("(");
        for (int d : t.shape()) {
            shape.append(d).append(", ");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(npyHeader("<f8", shape.append(")").toString()));
        ByteBuffer data = ByteBuffer.allocate(t.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < t.size(); i++) {
            data.putDouble(t.getFlat(i));
        }
        out.writeBytes(data.array());
        return out.toByteArray();
    }
}
