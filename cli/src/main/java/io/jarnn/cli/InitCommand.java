package io.jarnn.cli;

import io.jarnn.core.HilbertSpace;
import io.jarnn.io.ModelFiles;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNNConfig;
import io.jarnn.nn.ARNNConv1D;
import io.jarnn.nn.ARNNDense;
import io.jarnn.nn.ModelSummary;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** {@code jarnn init}: a model from flags, initialised from a seed or NetKet parameters, saved as one .npz. */
final class InitCommand implements Command {
    private static final CommandSpec SPEC = new CommandSpec("init", List.of(),
            "--kind dense|conv1d --hilbert SPEC --features F [--layers L] [options] --out MODEL.npz",
            "build a model from flags (or NetKet parameters) and save it",
            """
            Builds an ARNN with NetKet's semantics (ARNNDense or ARNNConv1D) and saves it as one .npz
            file: the parameters under NetKet's names (_layers_0/kernel, _layers_0/bias, ...) plus a
            jarnn-config.json entry with the configuration. Parameters are initialised from --seed,
            or taken from --params, a NetKet export made with
              numpy.savez(path, **flax.traverse_util.flatten_dict(params, sep="/"))
            and checked key by key against the flags.""",
            List.of(
                    Option.value("--kind", "dense|conv1d", "ARNNDense or ARNNConv1D (required)"),
                    Option.value("--hilbert", "SPEC", "Hilbert space (required): " + HilbertSpec.FORMS),
                    Option.value("--features", "F", "hidden width (e.g. 16; the last layer gets the local size)\n"
                            + "or the width of every layer (e.g. 16,16,2) (required)"),
                    Option.value("--layers", "L", "number of layers (required with a single width;\n"
                            + "a list of widths implies it)"),
                    Option.value("--kernel-size", "K", "conv1d: kernel size, >= 2 (default 3)"),
                    Option.value("--dilation", "D", "conv1d: kernel dilation (default 1)"),
                    Option.value("--bias", "on|off", "whether layers have biases (default on)"),
                    Option.value("--machine-pow", "P", "p in |psi|^p = probability (default 2)"),
                    Option.value("--seed", "S", "seed of the initial parameters (default 0)"),
                    Option.value("--params", "FILE.npz", "NetKet-named parameters instead of --seed"),
                    Option.value("--out", "MODEL.npz", "where to write the model (required)")));

    /** Library parameter names as they appear in messages, and the flags that set them. */
    private static final Map<String, String> FLAG_OF = Map.of("layers", "--layers", "features", "--features",
            "kernelSize", "--kernel-size", "dilation", "--dilation", "machinePow", "--machine-pow");

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws IOException {
        ARNNConfig config = config(args);
        Optional<Path> params = args.path("--params");
        if (params.isPresent() && args.has("--seed")) {
            throw args.usage("--seed and --params: give one (the parameters come either from a seed or from a file)");
        }
        Path target = OutputPaths.requireWritable(args, "--out", args.requiredPath("--out"), ".npz");
        long seed = args.longValue("--seed", 0);
        ARNN model = params.isPresent() ? ModelFiles.loadParameters(params.get(), config) : ARNN.initialise(config, seed);
        ModelFiles.save(target, model);
        ModelSummary summary = model.summary(1);
        out.printf(Locale.ROOT, "wrote %s: %s%n", target, model);
        out.printf(Locale.ROOT, "  %,d parameters (%,d in NetKet's arrays), %s%n", summary.effectiveParameters(),
                summary.netKetParameters(), params.map(p -> "taken from " + p).orElse("initialised from seed " + seed));
        return 0;
    }

    private static ARNNConfig config(Args args) {
        String kind = args.required("--kind");
        if (!kind.equals("dense") && !kind.equals("conv1d")) {
            throw args.usage("--kind: expected dense or conv1d but got '" + kind + "'");
        }
        HilbertSpace hilbert;
        try {
            hilbert = HilbertSpec.parse(args.required("--hilbert"));
        } catch (IllegalArgumentException e) {
            throw args.usage("--hilbert: " + e.getMessage());
        }
        ARNNConfig.Builder<?> builder;
        if (kind.equals("conv1d")) {
            builder = ARNNConv1D.builder(hilbert).kernelSize(args.integer("--kernel-size", 3, Integer.MIN_VALUE))
                    .dilation(args.integer("--dilation", 1, Integer.MIN_VALUE));
        } else {
            for (String convOnly : new String[]{"--kernel-size", "--dilation"}) {
                if (args.has(convOnly)) {
                    throw args.usage(convOnly + ": only a conv1d model has one (this is --kind dense)");
                }
            }
            builder = ARNNDense.builder(hilbert);
        }
        int[] features = features(args);
        if (features.length == 1) {
            if (!args.has("--layers")) {
                throw args.usage("missing --layers L (needed when --features is a single width; or list every "
                        + "layer's width, e.g. --features 16,16," + hilbert.localSize() + ")");
            }
            builder.layers(args.requiredInteger("--layers", 1)).features(features[0]);
        } else {
            builder.layers(args.integer("--layers", features.length, 1)).features(features);
        }
        builder.bias(switch (args.string("--bias").orElse("on")) {
            case "on" -> true;
            case "off" -> false;
            default -> throw args.usage("--bias: expected on or off but got '" + args.required("--bias") + "'");
        });
        builder.machinePow(args.floatValue("--machine-pow", 2f));
        try {
            return builder.config();
        } catch (IllegalArgumentException e) {
            throw args.usage(withFlagName(e.getMessage()));
        }
    }

    /** {@code "features: expected ..."} becomes {@code "--features: expected ..."}. */
    private static String withFlagName(String message) {
        int colon = message.indexOf(':');
        String flag = colon < 0 ? null : FLAG_OF.get(message.substring(0, colon));
        return flag == null ? message : flag + message.substring(colon);
    }

    private static int[] features(Args args) {
        String text = args.required("--features");
        String[] parts = text.split(",", -1);
        int[] widths = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                widths[i] = Integer.parseInt(parts[i].strip());
            } catch (NumberFormatException e) {
                throw args.usage("--features: expected a width such as 16 or a list such as 16,16,2 but got '"
                        + text + "'");
            }
            if (widths[i] < 1) {
                throw args.usage("--features: expected widths >= 1 but got '" + text + "'");
            }
        }
        return widths;
    }
}
