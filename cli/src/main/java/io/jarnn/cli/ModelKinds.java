package io.jarnn.cli;

import io.jarnn.core.HilbertSpace;
import io.jarnn.nn.ARNNConfig;
import io.jarnn.nn.ARNNConv1D;
import io.jarnn.nn.ARNNConv2D;
import io.jarnn.nn.ARNNDense;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.function.Function;

/**
 * {@code --kind} with {@code --kernel-size} and {@code --dilation}, as {@code init} and
 * {@code train} take them: the NetKet builder they name. conv1d takes one integer each (kernel
 * size 3 and dilation 1 unless given); conv2d takes {@code h,w} pairs, NetKet's
 * {@code kernel_size} (required, as in NetKet) and {@code kernel_dilation} (1,1 unless given);
 * dense takes neither.
 */
final class ModelKinds {
    /** The {@code --kernel-size} help lines. */
    static final String KERNEL_SIZE_1D = "conv1d: kernel size K >= 2 (default 3)";
    static final String KERNEL_SIZE_2D = "conv2d: h,w, e.g. 3,2 (required)";
    /** The {@code --dilation} help lines. */
    static final String DILATION_1D = "conv1d: kernel dilation D (default 1)";
    static final String DILATION_2D = "conv2d: dh,dw (default 1,1)";

    private ModelKinds() {
    }

    /** {@code --kernel-size} / {@code --dilation}: one integer ({@code 3}) or a pair ({@code 3,2}). */
    record Ints(int[] values) {
        static final class Converter implements ITypeConverter<Ints> {
            @Override
            public Ints convert(String text) {
                String[] parts = text.split(",", -1);
                if (parts.length > 2) {
                    throw new TypeConversionException("expected an integer such as 3 or a pair such as 3,2 but got '"
                            + text + "'");
                }
                int[] values = new int[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    try {
                        values[i] = Converters.parseInt(parts[i].strip(), Integer.MIN_VALUE, Integer.MAX_VALUE);
                    } catch (TypeConversionException e) {
                        throw new TypeConversionException("expected an integer such as 3 or a pair such as 3,2 but "
                                + "got '" + text + "'");
                    }
                }
                return new Ints(values);
            }
        }
    }

    /**
     * The builder of {@code kind} on {@code hilbert}; {@code kernelSize} and {@code dilation} are
     * null when not given. A flag the kind does not take, or a single number where conv2d wants a
     * pair (or the reverse), is a usage error made by {@code usage}.
     */
    static ARNNConfig.Builder<?> builder(InitCommand.Kind kind, HilbertSpace hilbert, Ints kernelSize, Ints dilation,
                                        Function<String, RuntimeException> usage) {
        return switch (kind) {
            case DENSE -> {
                requireAbsent(kernelSize, "--kernel-size", usage);
                requireAbsent(dilation, "--dilation", usage);
                yield ARNNDense.builder(hilbert);
            }
            case CONV1D -> ARNNConv1D.builder(hilbert)
                    .kernelSize(kernelSize == null ? 3 : single(kernelSize, "--kernel-size", "K", usage))
                    .dilation(dilation == null ? 1 : single(dilation, "--dilation", "D", usage));
            case CONV2D -> {
                if (kernelSize == null) {
                    throw usage.apply("missing --kernel-size h,w (a conv2d model's kernel, e.g. --kernel-size 3,2; "
                            + "NetKet's kernel_size has no default)");
                }
                int[] size = pair(kernelSize, "--kernel-size", "h,w", usage);
                int[] d = dilation == null ? new int[]{1, 1} : pair(dilation, "--dilation", "dh,dw", usage);
                yield ARNNConv2D.builder(hilbert).kernelSize(size[0], size[1]).dilation(d[0], d[1]);
            }
        };
    }

    /**
     * The flag of a library message's argument name ({@code kernelSize}, {@code kernelDilation},
     * {@code dilation}), or null when it is not one of these; {@code other} maps the rest.
     */
    static String flagOf(String key, Function<String, String> other) {
        return switch (key) {
            case "kernelSize" -> "--kernel-size";
            case "dilation", "kernelDilation" -> "--dilation";
            default -> other.apply(key);
        };
    }

    private static void requireAbsent(Ints given, String flag, Function<String, RuntimeException> usage) {
        if (given != null) {
            throw usage.apply(flag + ": only a conv1d or conv2d model has one (this is --kind dense)");
        }
    }

    private static int single(Ints given, String flag, String label, Function<String, RuntimeException> usage) {
        if (given.values().length != 1) {
            throw usage.apply(flag + ": expected one integer " + label + " for a conv1d model but got "
                    + format(given) + " (pairs are for --kind conv2d)");
        }
        return given.values()[0];
    }

    private static int[] pair(Ints given, String flag, String label, Function<String, RuntimeException> usage) {
        if (given.values().length != 2) {
            throw usage.apply(flag + ": expected a pair " + label + " for a conv2d model but got " + format(given)
                    + " (e.g. " + flag + (flag.equals("--dilation") ? " 1,1" : " 3,2") + ")");
        }
        return given.values();
    }

    private static String format(Ints given) {
        StringBuilder text = new StringBuilder();
        for (int v : given.values()) {
            text.append(text.isEmpty() ? "" : ",").append(v);
        }
        return text.toString();
    }
}
