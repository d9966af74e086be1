package io.jarnn.io;

import io.jarnn.core.DType;
import io.jarnn.core.HilbertSpace;
import io.jarnn.core.NdArray;
import io.jarnn.core.PrecisionConversion;
import io.jarnn.core.Tensor;
import io.jarnn.core.Tensor64;
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

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model files in both precisions: a model is saved in its dtype and loaded in the file's, bit for
 * bit; a NetKet float64 export loads as float64 unless float32 is asked for; mixed or mismatched
 * dtypes are refused naming the key; the size check counts 8 bytes per float64 element.
 */
class ModelFilesPrecisionTest {
    @TempDir
    Path dir;

    private static ARNNConfig conv64() {
        return ARNNConv1D.builder(HilbertSpace.spin(0.5, 9)).layers(3).features(5).kernelSize(3).dilation(2)
                .dtype(DType.FLOAT64).config();
    }

    private static void assertBitEqual(Map<String, ? extends NdArray> expected, Map<String, ? extends NdArray> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((key, e) -> {
            NdArray a = actual.get(key);
            assertEquals(e.dtype(), a.dtype(), key + ": dtype");
            for (int i = 0; i < e.size(); i++) {
                assertEquals(Double.doubleToRawLongBits(e.getDouble(i)), Double.doubleToRawLongBits(a.getDouble(i)),
                        key + "[" + i + "]: " + e.getDouble(i) + " vs " + a.getDouble(i));
            }
        });
    }

    @Test
    void aFloat64ModelRoundTripsBitForBitAndIsStoredAsF8() throws IOException {
        ARNN64 model = ARNN64.initialise(conv64(), 5);
        Path file = dir.resolve("m64.npz");
        ModelFiles.save(file, model);

        NpzArchive archive = NpzArchive.read(file);
        archive.storedArrays().forEach((key, a) -> assertEquals(DType.FLOAT64, a.dtype(), key + " stored as <f8"));
        assertTrue(archive.text(ModelFiles.CONFIG_ENTRY).orElseThrow().contains("\"dtype\": \"float64\""));

        ARNN64 loaded = assertInstanceOf(ARNN64.class, ModelFiles.load(file));
        assertEquals(model.config(), loaded.config());
        assertBitEqual(model.parameters(), loaded.parameters());
        Tensor64 sigma = model.hilbert().randomConfigurations(20, 3).toDoublePrecision();
        assertTrue(model.conditionals(sigma).contentEquals(loaded.conditionals(sigma)), "conditionals bit for bit");
        assertTrue(model.logPsi(sigma).contentEquals(loaded.logPsi(sigma)), "logPsi bit for bit");
    }

    @Test
    void aFloat32ModelStaysFloat32BitForBit() throws IOException {
        ARNN model = ARNNDense.builder(HilbertSpace.spin(1, 5)).layers(2).features(4).build(8);
        Path file = dir.resolve("m32.npz");
        ModelFiles.save(file, model);
        NpzArchive.read(file).storedArrays().forEach((key, a) -> assertEquals(DType.FLOAT32, a.dtype(), key));
        ARNN loaded = assertInstanceOf(ARNN.class, ModelFiles.load(file));
        assertBitEqual(model.parameters(), loaded.parameters());
        Tensor sigma = model.hilbert().randomConfigurations(30, 2);
        assertTrue(model.conditionals(sigma).contentEquals(loaded.conditionals(sigma)));
        assertTrue(model.logPsi(sigma).contentEquals(loaded.logPsi(sigma)));
    }

    @Test
    void aNetKetFloat64ExportLoadsAsFloat64UnlessConversionIsAsked() throws IOException {
        ARNN64 netket = ARNN64.initialise(conv64(), 11);
        Path file = dir.resolve("netket64.npz");
        NpzArchive.write(file, netket.parameters());
        ARNNConfig float32Config = conv64().withDType(DType.FLOAT32);

        AutoregressiveModel loaded = ModelFiles.loadParameters(file, float32Config);
        assertInstanceOf(ARNN64.class, loaded, "the file's precision, whatever the given config's dtype");
        assertEquals(conv64(), loaded.config());
        assertBitEqual(netket.parameters(), loaded.parameters());

        ARNN narrowed = assertInstanceOf(ARNN.class,
                ModelFiles.loadParameters(file, conv64(), ReadLimits.DEFAULT, DType.FLOAT32));
        Map<String, Tensor> expected = new LinkedHashMap<>();
        netket.parameters().forEach((k, t) -> expected.put(k, PrecisionConversion.narrow(t)));
        assertBitEqual(expected, narrowed.parameters());
    }

    @Test
    void loadConvertsAModelFileOnlyWhenAsked() throws IOException {
        ARNN model = ARNN.initialise(conv64().withDType(DType.FLOAT32), 4);
        Path file = dir.resolve("m.npz");
        ModelFiles.save(file, model);
        ARNN64 wide = assertInstanceOf(ARNN64.class, ModelFiles.load(file, DType.FLOAT64));
        Map<String, Tensor64> widened = new LinkedHashMap<>();
        model.parameters().forEach((k, t) -> widened.put(k, t.toDoublePrecision()));
        assertBitEqual(widened, wide.parameters());
        assertInstanceOf(ARNN.class, ModelFiles.load(file, DType.FLOAT32));
    }

    @Test
    void mixedDTypesInOneFileAreRefusedNamingTheKey() throws IOException {
        ARNN64 model = ARNN64.initialise(conv64(), 1);
        Map<String, NdArray> mixed = new LinkedHashMap<>(model.parameters());
        mixed.put("_layers_1/bias", model.parameters().get("_layers_1/bias").toSinglePrecision());
        Path file = dir.resolve("mixed.npz");
        NpzArchive.write(file, mixed);
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.loadParameters(file, conv64()));
        assertTrue(e.getMessage().contains("_layers_1/bias") && e.getMessage().contains("share one dtype"),
                e.getMessage());
    }

    @Test
    void parametersOfAnotherDTypeThanTheConfigEntryAreRefused() throws IOException {
        ARNN64 model = ARNN64.initialise(conv64(), 1);
        Map<String, Tensor> narrow = new LinkedHashMap<>();
        model.parameters().forEach((k, t) -> narrow.put(k, t.toSinglePrecision()));
        Path file = dir.resolve("lying.npz");
        NpzArchive.write(file, narrow, Map.of(ModelFiles.CONFIG_ENTRY, ModelConfigJson.write(conv64())));
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.load(file));
        assertTrue(e.getMessage().contains("expected float64") && e.getMessage().contains("<f4"), e.getMessage());
    }

    @Test
    void aConfigEntryWithoutADTypeTakesTheParameters() throws IOException {
        ARNN64 model = ARNN64.initialise(conv64(), 2);
        String json = ModelConfigJson.write(model.config()).replace(",\n  \"dtype\": \"float64\"", "");
        assertTrue(!json.contains("dtype"), "test setup");
        Path file = dir.resolve("old-style.npz");
        NpzArchive.write(file, model.parameters(), Map.of(ModelFiles.CONFIG_ENTRY, json));
        assertBitEqual(model.parameters(), assertInstanceOf(ARNN64.class, ModelFiles.load(file)).parameters());
    }

    @Test
    void theSizeCheckCountsEightBytesPerFloat64Element() {
        ARNNConfig config = conv64();
        long elements = 0;
        for (int[] shape : io.jarnn.nn.ParameterKeys.shapes(config).values()) {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            elements += n;
        }
        ReadLimits limits = ReadLimits.DEFAULT.withMaxTotalBytes(elements * 4);
        ModelFiles.requireLoadable(config.withDType(DType.FLOAT32), limits);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelFiles.requireLoadable(config, limits));
        assertTrue(e.getMessage().contains(Long.toString(elements * 8)), e.getMessage());
    }
}
