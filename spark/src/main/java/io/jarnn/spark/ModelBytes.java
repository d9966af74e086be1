package io.jarnn.spark;

import io.jarnn.io.ModelFiles;
import io.jarnn.nn.AutoregressiveModel;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A model as it travels to the executors: the bytes of its {@code .npz} model file (parameters
 * and configuration, exactly as {@link ModelFiles#save} writes them), put in a Spark broadcast
 * once per job. Each executor reads them back with {@link ModelFiles#load} (through a temporary
 * file: the model reader works on files) the first time a task asks, and keeps the model for the
 * job's other tasks: models are immutable and thread-safe.
 *
 * <p>The file format is the one every jarnn tool already reads and checks, so there is no
 * second serialisation of a model, and a float64 model keeps its bits.
 */
public final class ModelBytes implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final byte[] npz;
    private final String source;
    /** The model read from {@link #npz} in this JVM (executors deserialise their own copy). */
    private transient volatile AutoregressiveModel model;

    private ModelBytes(byte[] npz, String source, AutoregressiveModel model) {
        this.npz = npz;
        this.source = source;
        this.model = model;
    }

    /** The bytes of {@code model} as {@link ModelFiles#save} writes them. */
    public static ModelBytes of(AutoregressiveModel model) {
        if (model == null) {
            throw new IllegalArgumentException("model: expected a model but got null");
        }
        try {
            Path temp = Files.createTempFile("jarnn-model-", ".npz");
            try {
                ModelFiles.save(temp, model);
                return new ModelBytes(Files.readAllBytes(temp), "a model in memory", model);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("model: could not write it to a temporary file: " + e.getMessage(), e);
        }
    }

    /**
     * The bytes of the model file {@code path}, read and checked here (on the driver) so that a
     * missing or broken file fails before any job starts.
     */
    public static ModelBytes read(Path path) throws IOException {
        if (path == null) {
            throw new IllegalArgumentException("path: expected a model file but got null");
        }
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path.toString(), null, "no such model file");
        }
        AutoregressiveModel model = ModelFiles.load(path);
        return new ModelBytes(Files.readAllBytes(path), path.toString(), model);
    }

    /** The model, read once per JVM. */
    public AutoregressiveModel model() {
        AutoregressiveModel m = model;
        if (m == null) {
            synchronized (this) {
                m = model;
                if (m == null) {
                    m = load();
                    model = m;
                }
            }
        }
        return m;
    }

    /** Size of the model file in bytes. */
    public int size() {
        return npz.length;
    }

    private AutoregressiveModel load() {
        try {
            Path temp = Files.createTempFile("jarnn-model-", ".npz");
            try {
                Files.write(temp, npz);
                return ModelFiles.load(temp);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("model (" + source + "): could not be read back on this executor: "
                    + e.getMessage(), e);
        }
    }
}
