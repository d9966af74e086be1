package io.jarnn.core.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jarnn.core.DType;
import io.jarnn.core.NdArray;
import io.jarnn.core.Tensor;
import io.jarnn.core.Tensor64;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Archives that mix precisions: kept as stored, narrowed on request, written as given. */
class NpzPrecisionTest {
    @TempDir
    Path dir;

    private static Tensor64 kernel() {
        return Tensor64.wrap(new double[] {-2.5, -1.5, -0.5, 0.5, 1.5, 2.5}, 2, 3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mixed.npz", "mixed-compressed.npz"})
    void numpysMixedArchiveKeepsEachArraysPrecision(String name) throws IOException {
        Path path = dir.resolve(name);
        Files.write(path, NpyPrecisionTest.resource(name));
        NpzArchive archive = NpzArchive.read(path);
        Map<String, DType> dtypes = new LinkedHashMap<>();
        archive.storedArrays().forEach((key, array) -> dtypes.put(key, array.dtype()));
        assertEquals(Map.of("kernel", DType.FLOAT64, "bias", DType.FLOAT32, "sigma", DType.FLOAT32,
                "count", DType.FLOAT32, "nested/deep", DType.FLOAT64), dtypes);
        assertArrayEquals(kernel().toArray(), ((Tensor64) archive.array("kernel")).toArray());
        Tensor64 deep = (Tensor64) archive.array("nested/deep");
        assertEquals(Double.MIN_VALUE, deep.get(0, 2));
        assertEquals(1.0 / 3.0, deep.get(2, 1));
        assertTrue(Double.isNaN(deep.get(2, 0)));
        assertArrayEquals(new float[] {-2.5f, -1.5f, -0.5f}, archive.get("bias").toArray());
        assertArrayEquals(new float[] {0x1p53f}, archive.get("count").toArray());
        // get narrows a '<f8' array once and returns that same copy after; a float32 one is as stored.
        Tensor narrowed = archive.get("kernel");
        assertSame(narrowed, archive.get("kernel"));
        assertArrayEquals(new float[] {-2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f}, narrowed.toArray());
        assertSame(archive.array("bias"), archive.get("bias"));
        // NumPy's float64 extremes do not fit float32: get refuses rather than make them infinite.
        assertThrows(IllegalArgumentException.class, () -> archive.get("nested/deep"));
    }

    @Test
    void writesEachArrayInItsOwnPrecisionAsNpyWriteDoes() throws IOException {
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        arrays.put("_layers_0/kernel", kernel());
        arrays.put("_layers_0/bias", Tensor.wrap(new float[] {0.1f, 0.2f, 0.3f}, 3));
        arrays.put("tiny", Tensor64.wrap(new double[] {Double.MIN_VALUE, -0.0}, 2));
        Path path = dir.resolve("model.npz");
        NpzArchive.write(path, arrays, Map.of("config.json", "{}"));

        List<String> entries = new ArrayList<>();
        try (ZipFile zip = new ZipFile(path.toFile())) {
            for (Map.Entry<String, NdArray> e : arrays.entrySet()) {
                ZipEntry entry = zip.getEntry(e.getKey() + ".npy");
                entries.add(entry.getName());
                ByteArrayOutputStream expected = new ByteArrayOutputStream();
                Npy.write(expected, e.getValue());
                assertArrayEquals(expected.toByteArray(), zip.getInputStream(entry).readAllBytes(), e.getKey());
            }
        }
        assertEquals(List.of("_layers_0/kernel.npy", "_layers_0/bias.npy", "tiny.npy"), entries);

        NpzArchive back = NpzArchive.read(path);
        assertEquals(DType.FLOAT64, back.array("_layers_0/kernel").dtype());
        assertEquals(DType.FLOAT32, back.array("_layers_0/bias").dtype());
        assertArrayEquals(kernel().toArray(), ((Tensor64) back.array("_layers_0/kernel")).toArray());
        assertEquals(Double.doubleToRawLongBits(Double.MIN_VALUE),
                Double.doubleToRawLongBits(((Tensor64) back.array("tiny")).getFlat(0)));
        assertEquals(Double.doubleToRawLongBits(-0.0),
                Double.doubleToRawLongBits(((Tensor64) back.array("tiny")).getFlat(1)));
    }

    @Test
    void getRefusesAF8ArrayBeyondFloatRangeButArrayHasIt() throws IOException {
        Path path = dir.resolve("big.npz");
        NpzArchive.write(path, Map.of("w", Tensor64.wrap(new double[] {1, -1e300}, 2)));
        NpzArchive archive = NpzArchive.read(path);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> archive.get("w"));
        assertTrue(e.getMessage().startsWith("key: expected an array that fits float32 but 'w' in " + path
                + " is stored as <f8"), e.getMessage());
        assertTrue(e.getMessage().contains("element 1 (-1.0E300)"), e.getMessage());
        assertTrue(e.getMessage().contains("array(key)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, archive::arrays);
        assertEquals(-1e300, ((Tensor64) archive.array("w")).getFlat(1));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> archive.array("v"));
        assertEquals("key: expected one of [w] in " + path + " but got 'v'", missing.getMessage());
    }

    @Test
    void admissionLearnsTheStoredPrecisionBeforeTheData() throws IOException {
        Path path = dir.resolve("mixed.npz");
        Files.write(path, NpyPrecisionTest.resource("mixed-compressed.npz"));
        Map<String, DType> seen = new LinkedHashMap<>();
        ArrayAdmission recording = new ArrayAdmission() {
            @Override
            public void admit(String key, int[] shape) {
                throw new AssertionError("the reader must call the three-argument admit");
            }

            @Override
            public void admit(String key, int[] shape, DType dtype) {
                seen.put(key, dtype);
            }
        };
        NpzArchive.read(path, ReadLimits.DEFAULT, recording);
        assertEquals(List.of("kernel", "bias", "sigma", "count", "nested/deep"), List.copyOf(seen.keySet()));
        assertEquals(List.of(DType.FLOAT64, DType.FLOAT32, DType.FLOAT32, DType.FLOAT32, DType.FLOAT64),
                List.copyOf(seen.values()));
    }

    @Test
    void anAdmissionCanBudgetMemoryAtEightBytesPerFloat64Element() throws IOException {
        Path path = dir.resolve("budget.npz");
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        arrays.put("a", Tensor.zeros(1000));
        arrays.put("b", Tensor64.zeros(1000));
        NpzArchive.write(path, arrays);
        long budget = 10_000;
        ArrayAdmission memory = new ArrayAdmission() {
            private long used;

            @Override
            public void admit(String key, int[] shape) {
                throw new AssertionError("unused");
            }

            @Override
            public void admit(String key, int[] shape, DType dtype) throws IOException {
                used += (long) shape[0] * dtype.bytes();
                if (used > budget) {
                    throw new IOException(key + ": " + used + " bytes exceed the budget of " + budget);
                }
            }
        };
        IOException e = assertThrows(IOException.class, () -> NpzArchive.read(path, ReadLimits.DEFAULT, memory));
        assertEquals("b: 12000 bytes exceed the budget of 10000", e.getMessage());
    }

    @Test
    void maxTotalBytesCountsEightBytesPerFloat64Element() throws IOException {
        Path f4 = dir.resolve("f4.npz");
        Path f8 = dir.resolve("f8.npz");
        NpzArchive.write(f4, Map.of("w", Tensor.zeros(1000)));
        NpzArchive.write(f8, Map.of("w", Tensor64.zeros(1000)));
        // 128-byte header plus 4000 or 8000 bytes of data.
        ReadLimits limits = ReadLimits.DEFAULT.withMaxTotalBytes(6000);
        assertEquals(DType.FLOAT32, NpzArchive.read(f4, limits).array("w").dtype());
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> NpzArchive.read(f8, limits));
        assertTrue(e.getMessage().contains("entry declares 8128 bytes"), e.getMessage());
    }
}
