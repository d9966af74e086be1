package io.jarnn.vmc;

import io.jarnn.core.NdArray;
import io.jarnn.core.Tensor64;
import io.jarnn.core.npy.NpzArchive;
import io.jarnn.io.ModelFiles;
import io.jarnn.nn.AutoregressiveModel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A resumable VMC state: the model (after {@code step} updates), the run's seed and the
 * optimiser's name, step counter and moments.
 *
 * <h2>Files</h2>
 * Two files, each replaced atomically:
 * <ul>
 * <li>the model, {@code PATH} (e.g. {@code run.npz}): {@link ModelFiles#save}, NetKet's names, loadable by
 *     everything that loads models (the command line, NetKet through NumPy);</li>
 * <li>the state beside it, {@link #statePath(Path) PATH with ".npz" replaced by ".vmc.npz"}
 *     ({@code run.vmc.npz}): a text entry {@code vmc-state.json}
 *     <pre>{"format": "jarnn-vmc-state/1", "step": 120, "seed": 42, "optimizer": "adam",
 *  "optimizer_steps": 120, "parameters": 930, "parameters_sha256": "..."}</pre>
 *     and the optimiser's moments as float64 arrays {@code optimizer/m}, {@code optimizer/v} (P,).</li>
 * </ul>
 * The state is written first, the model second. {@code parameters_sha256} is the SHA-256 of the
 * model's flat parameters (the layers' storage order, see docs/gradients.md) widened to double,
 * as big-endian IEEE bits: {@link #load} refuses a state that is not its model's (a crash between
 * the two renames, or files of two runs), naming both files.
 */
public record VmcCheckpoint(AutoregressiveModel model, long step, long seed, String optimizer,
                            long optimizerSteps, Map<String, double[]> optimizerState) {

    public static final String STATE_ENTRY = "vmc-state.json";
    public static final String FORMAT = "jarnn-vmc-state/1";

    public VmcCheckpoint {
        if (model == null || optimizer == null || optimizerState == null) {
            throw new IllegalArgumentException("model, optimizer, optimizerState: expected values but got null");
        }
        if (step < 0 || optimizerSteps < 0) {
            throw new IllegalArgumentException("step, optimizerSteps: expected >= 0 but got " + step + ", " + optimizerSteps);
        }
        optimizerState = Map.copyOf(optimizerState);
    }

    /**
     * Puts {@code run}'s optimiser in this checkpoint's state, so that a resumed run continues the
     * same trajectory.
     *
     * @throws IllegalArgumentException if the checkpoint was written by another optimiser
     */
    public void restoreOptimizer(Optimizer run) {
        if (!optimizer.equals(run.name())) {
            throw new IllegalArgumentException("optimizer: the checkpoint was written by '" + optimizer
                    + "' but the run has '" + run.name() + "'");
        }
        run.restore(optimizerSteps, optimizerState);
    }

    /** The state file beside model file {@code model}: {@code run.npz} -> {@code run.vmc.npz}. */
    public static Path statePath(Path model) {
        String name = model.getFileName().toString();
        String stem = name.endsWith(".npz") ? name.substring(0, name.length() - 4) : name;
        return model.resolveSibling(stem + ".vmc.npz");
    }

    /** Writes the state (first) and the model (second), each atomically. */
    public void save(Path path) throws IOException {
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : new java.util.TreeMap<>(optimizerState).entrySet()) {
            arrays.put("optimizer/" + e.getKey(), Tensor64.copyOf(e.getValue(), e.getValue().length));
        }
        String json = "{\"format\": \"" + FORMAT + "\", \"step\": " + step + ", \"seed\": " + seed
                + ", \"optimizer\": \"" + optimizer + "\", \"optimizer_steps\": " + optimizerSteps
                + ", \"parameters\": " + model.parameterCount()
                + ", \"parameters_sha256\": \"" + digest(model) + "\"}\n";
        NpzArchive.write(statePath(path), arrays, Map.of(STATE_ENTRY, json));
        ModelFiles.save(path, model);
    }

    /** Reads a checkpoint written by {@link #save} (the model in its file's dtype). */
    public static VmcCheckpoint load(Path path) throws IOException {
        AutoregressiveModel model = ModelFiles.load(path);
        Path statePath = statePath(path);
        NpzArchive archive = NpzArchive.read(statePath);
        String json = archive.text(STATE_ENTRY).orElseThrow(() -> new IOException(statePath
                + ": expected a VMC state with a '" + STATE_ENTRY + "' entry but it has none"));
        if (!FORMAT.equals(string(statePath, json, "format"))) {
            throw new IOException(statePath + ": expected format " + FORMAT + " but got " + string(statePath, json, "format"));
        }
        long step = number(statePath, json, "step");
        long seed = number(statePath, json, "seed");
        String optimizer = string(statePath, json, "optimizer");
        long optimizerSteps = number(statePath, json, "optimizer_steps");
        String sha = string(statePath, json, "parameters_sha256");
        if (!sha.equals(digest(model))) {
            throw new IOException(statePath + ": this state belongs to other parameters than those of " + path
                    + " (parameters_sha256 differs: the files are of different steps or runs)");
        }
        Map<String, double[]> state = new LinkedHashMap<>();
        for (String key : archive.keys()) {
            if (!key.startsWith("optimizer/")) {
                throw new IOException(statePath + ": unexpected array '" + key + "'");
            }
            NdArray a = archive.array(key);
            if (a.shape().length != 1 || a.size() != model.parameterCount()) {
                throw new IOException(statePath + ": " + key + ": expected shape (" + model.parameterCount() + ",) but got "
                        + java.util.Arrays.toString(a.shape()));
            }
            double[] values = new double[a.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = a.getDouble(i);
            }
            state.put(key.substring("optimizer/".length()), values);
        }
        return new VmcCheckpoint(model, step, seed, optimizer, optimizerSteps, state);
    }

    /** SHA-256 of the flat parameters widened to double (big-endian bits), as lowercase hex. */
    static String digest(AutoregressiveModel model) {
        ModelBridge bridge = ModelBridge.of(model, 1);
        double[] flat = new double[model.parameterCount()];
        bridge.readParameters(flat);
        ByteBuffer bytes = ByteBuffer.allocate(flat.length * 8);
        for (double x : flat) {
            bytes.putLong(Double.doubleToRawLongBits(x));
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    private static String string(Path path, String json, String key) throws IOException {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IOException(path + ", " + STATE_ENTRY + ": expected a string \"" + key + "\"");
        }
        return m.group(1);
    }

    private static long number(Path path, String json, String key) throws IOException {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*(-?[0-9]+)").matcher(json);
        if (!m.find()) {
            throw new IOException(path + ", " + STATE_ENTRY + ": expected an integer \"" + key + "\"");
        }
        try {
            return Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IOException(path + ", " + STATE_ENTRY + ": \"" + key + "\" is not a 64-bit integer", e);
        }
    }
}
