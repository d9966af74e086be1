package io.jarnn.cli;

import io.jarnn.core.DType;
import io.jarnn.core.HilbertSpace;
import io.jarnn.core.npy.ReadLimits;
import io.jarnn.io.ModelFiles;
import io.jarnn.nn.ARNNConfig;
import io.jarnn.nn.AutoregressiveModel;
import io.jarnn.nn.ModelSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code jarnn init}: a model from flags, initialised from a seed or NetKet parameters, saved as one .npz. */
@Command(name = "init", description = {
        "build a model from flags (or NetKet parameters) and save it",
        "",
        """
        Builds an ARNN with NetKet's semantics (ARNNDense, ARNNConv1D, ARNNConv2D) and saves it in \
        one .npz file: the parameters under NetKet's names (_layers_0/kernel, _layers_0/bias, ...) plus a \
        jarnn-config.json entry with the configuration. Parameters are initialised from --seed, \
        or taken from --params, a NetKet export made with""",
        "  numpy.savez(path, **flax.traverse_util.flatten_dict(params, sep=\"/\"))",
        "and checked key by key against the flags.",
        "",
        """
        The model's dtype (NetKet's param_dtype), recorded in the file, is that of the --params \
        arrays (a NetKet float64 export stays float64), float32 when initialised from --seed, \
        unless --dtype says otherwise."""})
final class InitCommand implements Callable<Integer> {
    /** The model types, by the names {@code --kind} takes. */
    enum Kind {
        DENSE("dense"),
        CONV1D("conv1d"),
        CONV2D("conv2d");

        final String flagValue;

        Kind(String flagValue) {
            this.flagValue = flagValue;
        }

        static final class Converter implements ITypeConverter<Kind> {
            @Override
            public Kind convert(String text) {
                for (Kind k : values()) {
                    if (k.flagValue.equals(text)) {
                        return k;
                    }
                }
                throw new TypeConversionException("expected dense, conv1d or conv2d but got '" + text + "'");
            }
        }
    }

    /** {@code --features}: one hidden width ({@code 16}) or every layer's width ({@code 16,16,2}). */
    record Widths(int[] values) {
        static final class Converter implements ITypeConverter<Widths> {
            @Override
            public Widths convert(String text) {
                String[] parts = text.split(",", -1);
                int[] widths = new int[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    String part = parts[i].strip();
                    if (!part.matches("[+-]?[0-9]+")) {
                        throw new TypeConversionException("expected a width such as 16 or a list such as 16,16,2 but "
                                + "got '" + text + "'");
                    }
                    try {
                        widths[i] = Converters.parseInt(part, 1, Integer.MAX_VALUE);
                    } catch (TypeConversionException e) {
                        throw new TypeConversionException("expected widths 1.." + Integer.MAX_VALUE + " but got '"
                                + text + "'");
                    }
                }
                return new Widths(widths);
            }
        }
    }

    @Option(names = "--kind", paramLabel = "dense|conv1d|conv2d", required = true, converter = Kind.Converter.class,
            description = {"ARNNDense, ARNNConv1D or ARNNConv2D (required;", "conv2d: N = L * L sites, row by row)"})
    Kind kind;

    @Option(names = "--hilbert", paramLabel = "SPEC", required = true, converter = Converters.Hilbert.class,
            description = {"Hilbert space (required):", HilbertSpec.FORMS})
    HilbertSpace hilbert;

    @Option(names = "--features", paramLabel = "F", required = true, converter = Widths.Converter.class,
            description = {"hidden width (e.g. 16; the last layer gets the local size)",
                    "or the width of every layer (e.g. 16,16,2) (required)"})
    Widths features;

    @Option(names = "--layers", paramLabel = "L", converter = Converters.PositiveInt.class,
            description = {"number of layers (required with a single width;", "a list of widths implies it)"})
    Integer layers;

    @Option(names = "--kernel-size", paramLabel = "K|h,w", converter = ModelKinds.Ints.Converter.class,
            description = {ModelKinds.KERNEL_SIZE_1D, ModelKinds.KERNEL_SIZE_2D})
    ModelKinds.Ints kernelSize;

    @Option(names = "--dilation", paramLabel = "D|dh,dw", converter = ModelKinds.Ints.Converter.class,
            description = {ModelKinds.DILATION_1D, ModelKinds.DILATION_2D})
    ModelKinds.Ints dilation;

    @Option(names = "--bias", paramLabel = "on|off", defaultValue = "on", converter = Converters.OnOff.Converter.class,
            description = "whether layers have biases (default ${DEFAULT-VALUE})")
    Converters.OnOff bias;

    @Option(names = "--machine-pow", paramLabel = "P", defaultValue = "2", converter = Converters.Decimal.class,
            description = "p in |psi|^p = probability (default ${DEFAULT-VALUE})")
    float machinePow;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", converter = Converters.Seed.class,
            description = "seed of the initial parameters (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--params", paramLabel = "FILE.npz", converter = Converters.FileName.class,
            description = "NetKet-named parameters instead of --seed")
    Path params;

    @Option(names = "--dtype", paramLabel = "float32|float64", converter = Converters.Precision.class,
            description = {"precision of the model (default: that of --params,",
                    "float32 from --seed); float64 -> float32 rounds each",
                    "parameter to nearest and refuses one beyond float32 range"})
    DType dtype;

    @Option(names = "--out", paramLabel = "MODEL.npz", required = true, converter = Converters.FileName.class,
            description = "where to write the model (required)")
    Path out;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    /** Library parameter names as they appear in messages, and the flags that set them. */
    private static final Map<String, String> FLAG_OF = Map.of("layers", "--layers", "features", "--features",
            "machinePow", "--machine-pow", "hilbert.N", "--hilbert", "hilbert", "--hilbert");

    private final PrintStream stdout;

    InitCommand(PrintStream stdout) {
        this.stdout = stdout;
    }

    @Override
    public Integer call() throws IOException {
        ARNNConfig config = config();
        if (params != null && given("--seed")) {
            throw usage("--seed and --params: give one (the parameters come either from a seed or from a file)");
        }
        Path target = OutputPaths.requireWritable(spec, "--out", out, ".npz");
        AutoregressiveModel model = params == null ? AutoregressiveModel.initialise(config, seed)
                : dtype == null ? ModelFiles.loadParameters(params, config)
                : ModelFiles.loadParameters(params, config, ReadLimits.DEFAULT, dtype);
        ModelFiles.save(target, model);
        ModelSummary summary = model.summary(1);
        stdout.printf(Locale.ROOT, "wrote %s: %s%n", target, model);
        stdout.printf(Locale.ROOT, "  %,d parameters (%,d in NetKet's arrays), %s%n", summary.effectiveParameters(),
                summary.netKetParameters(), params != null ? "taken from " + params : "initialised from seed " + seed);
        return Main.OK;
    }

    private ARNNConfig config() {
        ARNNConfig.Builder<?> builder = ModelKinds.builder(kind, hilbert, kernelSize, dilation, this::usage);
        int[] widths = features.values();
        if (widths.length == 1) {
            if (layers == null) {
                throw usage("missing --layers L (needed when --features is a single width; or list every "
                        + "layer's width, e.g. --features 16,16," + hilbert.localSize() + ")");
            }
            builder.layers(layers).features(widths[0]);
        } else {
            builder.layers(layers != null ? layers : widths.length).features(widths);
        }
        builder.bias(bias == Converters.OnOff.ON).machinePow(machinePow).dtype(dtype != null ? dtype : DType.FLOAT32);
        try {
            ARNNConfig config = builder.config();
            // A model that no command could load is refused before it is initialised.
            ModelFiles.requireLoadable(config, ReadLimits.DEFAULT);
            return config;
        } catch (IllegalArgumentException e) {
            throw usage(withFlagName(e.getMessage()));
        }
    }

    private boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** {@code "features: expected ..."} becomes {@code "--features: expected ..."}. */
    private static String withFlagName(String message) {
        int colon = message.indexOf(':');
        String flag = colon < 0 ? null : ModelKinds.flagOf(message.substring(0, colon), FLAG_OF::get);
        return flag == null ? message : flag + message.substring(colon);
    }
}
