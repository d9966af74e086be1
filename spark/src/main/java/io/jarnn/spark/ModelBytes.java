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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A model as it travels to the executors: the bytes of its {@code .npz} model file (parameters
 * and configuration, exactly as {@link ModelFiles#save} writes them; {@link ModelFiles#toBytes}),
 * put in a Spark broadcast, plus the SHA-256 of those bytes. An executor JVM reads the bytes back
 * ({@link ModelFiles#load(byte[], String)}, the same checks as a file) once per distinct content:
 * {@link ExecutorModels} keeps the models it has read by that hash, so a model broadcast again
 * (each sampling job of a sampler, an evaluation after a sampling) is not read again, and neither
 * are the samplers its earlier tasks used. Models are immutable and thread-safe.
 *
 * <p>The file format is the one every jarnn tool already reads and checks, so there is no
 * second serialisation of a model, and a float64 model keeps its bits.
 */
public final class ModelBytes implements Serializable {
    @Serial
    private static final long serialVersionUID = 2L;

    private final byte[] npz;
    private final String source;
    private final String sha256;
    /** The model in this JVM: set on the driver, found or read on an executor. */
    private transient volatile ExecutorModels.Loaded loaded;

    private ModelBytes(byte[] npz, String source, AutoregressiveModel model) {
        this.npz = npz;
        this.source = source;
        this.sha256 = sha256(npz);
        this.loaded = model == null ? null : ExecutorModels.put(sha256, model);
    }

    /** The bytes of {@code model} as {@link ModelFiles#save} writes them. */
    public static ModelBytes of(AutoregressiveModel model) {
        if (model == null) {
            throw new IllegalArgumentException("model: expected a model but got null");
        }
        return new ModelBytes(ModelFiles.toBytes(model), "a model in memory", model);
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
        byte[] bytes = Files.readAllBytes(path);
        return new ModelBytes(bytes, path.toString(), ModelFiles.load(bytes, path.toString()));
    }

    /**
     * The bytes of a model file, not read here: the first {@link #model()} call in a JVM reads
     * them, and a broken file then fails there, naming {@code source}.
     */
    static ModelBytes ofFileBytes(byte[] npz, String source) {
        if (npz == null || source == null) {
            throw new IllegalArgumentException("npz, source: expected a model file's bytes and a name but got null");
        }
        return new ModelBytes(npz.clone(), source, null);
    }

    /** The model, read at most once per JVM and content. */
    public AutoregressiveModel model() {
        return loaded().model();
    }

    /** This model's executor-side state: the model and its pool of samplers. */
    ExecutorModels.Loaded loaded() {
        ExecutorModels.Loaded l = loaded;
        if (l == null) {
            l = ExecutorModels.get(sha256, this::load);
            loaded = l;
        }
        return l;
    }

    /** Size of the model file in bytes. */
    public int size() {
        return npz.length;
    }

    /** SHA-256 of the model file's bytes, lowercase hex: the model's identity in {@link ExecutorModels}. */
    public String sha256() {
        return sha256;
    }

    private AutoregressiveModel load() {
        try {
            return ModelFiles.load(npz, "the model broadcast (" + source + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("model (" + source + "): could not be read back on this executor: "
                    + e.getMessage(), e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
