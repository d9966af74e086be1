package io.jarnn.nn;

import io.jarnn.core.DType;
import io.jarnn.core.Shapes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.SequencedMap;
import java.util.StringJoiner;

/**
 * A table of a model's layers in the spirit of flax's {@code Module.tabulate}: for every layer
 * its path in NetKet's parameter tree, type, input and output shapes for a given batch,
 * parameter shapes and parameter counts, and the totals. {@link #toString()} renders it.
 *
 * <p>Three counts, because a masked layer has three honest answers:
 * <ul>
 *   <li>stored: floats jarnn keeps (a dense layer drops its masked kernel entries);</li>
 *   <li>effective: parameters that can change an output (masked entries excluded);</li>
 *   <li>NetKet: entries of NetKet's arrays, which is also what a saved {@code .npz} holds.</li>
 * </ul>
 * Bytes are the stored numbers in the model's precision (4 each in float32, 8 in float64); shapes
 * are printed with the model's dtype, as flax does ({@code float32[8,100,16]}).
 */
public final class ModelSummary {
    /**
     * One layer. Shapes are (batch, N, features); {@code parameterShapes} maps
     * {@code kernel}/{@code bias} to NetKet's shapes.
     */
    public record Layer(String path, String type, List<Integer> inputShape, List<Integer> outputShape,
                        SequencedMap<String, List<Integer>> parameterShapes, long storedParameters,
                        long effectiveParameters, long netKetParameters, DType dtype) {
        /** Bytes of the stored parameters in {@code dtype}. */
        public long bytes() {
            return storedParameters * dtype.bytes();
        }
    }

    private static final String[] HEADER = {"path", "type", "input", "output", "parameters", "stored", "effective",
            "NetKet", "bytes"};
    /** Columns from this index on hold numbers and are right-aligned. */
    private static final int FIRST_NUMBER_COLUMN = 5;

    private final AutoregressiveModel model;
    private final int batch;
    private final List<Layer> layers;

    private ModelSummary(AutoregressiveModel model, int batch, List<Layer> layers) {
        this.model = model;
        this.batch = batch;
        this.layers = List.copyOf(layers);
    }

    /** The summary of {@code model} for inputs of {@code batch} configurations. */
    public static ModelSummary of(AutoregressiveModel model, int batch) {
        if (model == null) {
            throw new IllegalArgumentException("model: expected an ARNN but got null");
        }
        Shapes.requireAtLeast("batch", batch, 1);
        int n = model.hilbert().size();
        List<Layer> rows = new ArrayList<>();
        List<LayerSpec> specs = model.config().layerSpecs();
        for (int l = 0; l < specs.size(); l++) {
            LayerSpec layer = specs.get(l);
            SequencedMap<String, List<Integer>> shapes = new LinkedHashMap<>();
            shapes.put("kernel", List.of(box(layer.kernelShape())));
            if (layer.useBias()) {
                shapes.put("bias", List.of(box(layer.biasShape())));
            }
            rows.add(new Layer(ParameterKeys.prefix(l).replace("/", ""), layer.typeName(),
                    List.of(batch, n, layer.in()), List.of(batch, n, layer.out()),
                    Collections.unmodifiableSequencedMap(shapes), layer.storedParameterCount(),
                    layer.storedParameterCount(), layer.netKetParameterCount(), model.dtype()));
        }
        return new ModelSummary(model, batch, rows);
    }

    private static Integer[] box(int[] shape) {
        Integer[] boxed = new Integer[shape.length];
        for (int i = 0; i < shape.length; i++) {
            boxed[i] = shape[i];
        }
        return boxed;
    }

    public AutoregressiveModel model() {
        return model;
    }

    public int batch() {
        return batch;
    }

    /** The layers, first (exclusive) to last. */
    public List<Layer> layers() {
        return layers;
    }

    public long storedParameters() {
        return layers.stream().mapToLong(Layer::storedParameters).sum();
    }

    public long effectiveParameters() {
        return layers.stream().mapToLong(Layer::effectiveParameters).sum();
    }

    public long netKetParameters() {
        return layers.stream().mapToLong(Layer::netKetParameters).sum();
    }

    public long bytes() {
        return storedParameters() * model.dtype().bytes();
    }

    /** {@code float32[8,100,16]}, as flax prints shapes. */
    private String format(List<Integer> shape) {
        StringJoiner j = new StringJoiner(",", model.dtype() + "[", "]");
        for (int d : shape) {
            j.add(Integer.toString(d));
        }
        return j.toString();
    }

    private static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** The table, its totals and a legend; lines end in '\n'. */
    @Override
    public String toString() {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (Layer layer : layers) {
            StringJoiner params = new StringJoiner(", ");
            layer.parameterShapes().forEach((name, shape) -> params.add(name + " " + format(shape)));
            rows.add(new String[]{layer.path(), layer.type(), format(layer.inputShape()), format(layer.outputShape()),
                    params.toString(), count(layer.storedParameters()), count(layer.effectiveParameters()),
                    count(layer.netKetParameters()), count(layer.bytes())});
        }
        String[] total = {"total", "", "", "", "", count(storedParameters()), count(effectiveParameters()),
                count(netKetParameters()), count(bytes())};
        int[] widths = new int[HEADER.length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        for (int c = 0; c < total.length; c++) {
            widths[c] = Math.max(widths[c], total[c].length());
        }
        String[] rule = new String[HEADER.length];
        for (int c = 0; c < rule.length; c++) {
            rule[c] = "-".repeat(widths[c]);
        }
        int n = model.hilbert().size();
        int ls = model.hilbert().localSize();
        StringBuilder sb = new StringBuilder();
        sb.append(model).append('\n');
        sb.append("inputs ").append(format(List.of(batch, n))).append(" (local values) -> conditionals ")
                .append(format(List.of(batch, n, ls))).append("\n\n");
        appendRow(sb, rows.getFirst(), widths);
        appendRow(sb, rule, widths);
        for (String[] row : rows.subList(1, rows.size())) {
            appendRow(sb, row, widths);
        }
        appendRow(sb, rule, widths);
        appendRow(sb, total, widths);
        sb.append('\n');
        sb.append("stored: floats jarnn keeps; effective: parameters that can change an output (masked entries "
                + "excluded); NetKet: entries of NetKet's arrays (what a saved .npz holds); bytes: stored " + model.dtype()
                + ".\n");
        sb.append("multiply-adds per sample (full forward): ").append(count(model.multiplyAddsPerSample())).append('\n');
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                line.append("  ");
            }
            String pad = " ".repeat(widths[c] - cells[c].length());
            line.append(c >= FIRST_NUMBER_COLUMN ? pad + cells[c] : cells[c] + pad);
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }
}
