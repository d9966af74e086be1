package io.jarnn.spark;

import io.jarnn.core.DType;
import io.jarnn.core.HilbertSpace;
import io.jarnn.io.ModelFiles;
import io.jarnn.nn.ARNN64;
import io.jarnn.nn.ARNNConv1D;
import io.jarnn.nn.ExactSampler;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model on its way to the executors: its file's bytes in memory (no temporary file), read back
 * once per JVM and content ({@link ExecutorModels}), with its samplers pooled; broken bytes give
 * one clear error. Java serialisation stands in for the broadcast to another JVM.
 */
class ModelBytesTest {
    private static ARNN64 model(long seed) {
        return ARNNConv1D.builder(HilbertSpace.spin(0.5, 10)).layers(2).features(3).kernelSize(3)
                .dtype(DType.FLOAT64).build64(seed);
    }

    private static ModelBytes travelled(ModelBytes bytes) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(out)) {
            o.writeObject(bytes);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            return (ModelBytes) in.readObject();
        }
    }

    @Test
    void aModelTravelsAsItsFileBytesAndIsReadOncePerJvm() throws Exception {
        ARNN64 model = model(101);
        byte[] file = ModelFiles.toBytes(model);
        // Bytes this JVM has not read yet (as an executor receives them).
        ModelBytes sent = ModelBytes.ofFileBytes(file, "test model");
        ModelBytes first = travelled(sent);
        ModelBytes second = travelled(sent);
        assertNotSame(first, second);
        assertEquals(sent.sha256(), first.sha256());
        assertEquals(file.length, first.size());
        assertArrayEquals(model.flatParameters(), ((ARNN64) first.model()).flatParameters());
        assertSame(first.model(), second.model(), "a second broadcast of the same bytes must not read them again");
        assertArrayEquals(file, ModelFiles.toBytes(first.model()));
    }

    @Test
    void theDriversModelIsTheOneItsTasksUseInLocalMode() {
        ARNN64 model = model(102);
        ModelBytes bytes = ModelBytes.of(model);
        assertSame(model, bytes.model());
    }

    @Test
    void samplersArePooledByThreadsAndChunkSize() {
        ExecutorModels.Loaded loaded = ModelBytes.of(model(103)).loaded();
        ExactSampler a = loaded.borrowSampler(1, 64);
        loaded.returnSampler(1, 64, a);
        assertSame(a, loaded.borrowSampler(1, 64));
        loaded.returnSampler(1, 64, a);
        ExactSampler other = loaded.borrowSampler(1, 16);
        assertNotSame(a, other, "a sampler of another chunk size must not be handed out");
        assertEquals(16, other.chunkSize());
    }

    @Test
    void aJvmKeepsAtMostAFewModels() {
        for (int i = 0; i < 2 * ExecutorModels.CAPACITY; i++) {
            ModelBytes.of(model(200 + i)).model();
        }
        assertTrue(ExecutorModels.size() <= ExecutorModels.CAPACITY, "holds " + ExecutorModels.size());
    }

    @Test
    void truncatedOrCorruptBytesFailOnTheExecutorWithOneClearLine() {
        byte[] file = ModelFiles.toBytes(model(104));
        ModelBytes cut = ModelBytes.ofFileBytes(Arrays.copyOf(file, file.length / 2), "cut.npz");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, cut::model);
        assertTrue(e.getMessage().startsWith("model (cut.npz): could not be read back on this executor: the model"
                + " broadcast (cut.npz): expected a zip archive (.npz) but it is"), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());

        byte[] corrupt = file.clone();
        int magic = new String(corrupt, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("\u0093NUMPY");
        corrupt[magic + 128 + 3] ^= 0x20;
        e = assertThrows(UncheckedIOException.class, () -> ModelBytes.ofFileBytes(corrupt, "flipped.npz").model());
        assertTrue(e.getMessage().contains("CRC"), e.getMessage());
    }
}
