package io.jarnn.spark;

import io.jarnn.core.DType;
import io.jarnn.core.NdArray;
import io.jarnn.core.npy.AtomicFileSet;
import io.jarnn.core.npy.Npy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A directory of {@code .npy} shards, one per Spark partition, and the {@code manifest.json}
 * that lists them in row order, so that NumPy puts them together with
 * <pre>
 *   m = json.load(open(d / "manifest.json"))
 *   x = np.concatenate([np.load(d / s["configurations"]) for s in m["shards"]])
 * </pre>
 * Shard k of array {@code name} is {@code name-0000k.npy}. The whole directory is written as one
 * {@link AtomicFileSet} whose primary file is the manifest: every shard goes to a temporary file
 * as its partition arrives at the driver, and only when all are complete are they renamed into
 * place, the manifest last, after the shards of an earlier run that this one does not rewrite
 * are deleted. A manifest is therefore always next to its own shards, and a failed job leaves
 * the previous directory as it was.
 */
final class ShardDirectory {
    static final String MANIFEST = "manifest.json";
    static final String FORMAT = "jarnn-shards/1";

    private ShardDirectory() {
    }

    /** One shard's rows and arrays (each in the file {@code name-k.npy}, by array name). */
    record Shard(long firstRow, int rows, List<NdArray> arrays) {
    }

    /** What the manifest says besides the shards: e.g. {@code "seed": 1}, already formatted as JSON values. */
    record Field(String name, String json) {
        static Field text(String name, String value) {
            return new Field(name, '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"');
        }

        static Field number(String name, long value) {
            return new Field(name, Long.toString(value));
        }
    }

    /** The shard file of array {@code name} number {@code k}. */
    static String fileName(String name, int k) {
        return String.format(Locale.ROOT, "%s-%05d.npy", name, k);
    }

    /**
     * Writes the shards {@code shards} yields (in row order) of the arrays {@code names}, and the
     * manifest with {@code fields}, the dtype and the total rows, into {@code directory}
     * (created if missing). Returns the number of shards.
     */
    static int write(Path directory, List<String> names, DType dtype, List<Field> fields, Iterator<Shard> shards)
            throws IOException {
        Files.createDirectories(directory);
        Path manifest = directory.resolve(MANIFEST);
        List<String> entries = new ArrayList<>();
        long rows = 0;
        try (AtomicFileSet files = AtomicFileSet.of(manifest)) {
            List<Path> written = new ArrayList<>();
            int k = 0;
            while (shards.hasNext()) {
                Shard shard = shards.next();
                if (shard.firstRow() != rows) {
                    throw new IllegalStateException("shard " + k + " starts at row " + shard.firstRow()
                            + " but " + rows + " rows came before it");
                }
                StringBuilder entry = new StringBuilder("    {");
                for (int a = 0; a < names.size(); a++) {
                    String file = fileName(names.get(a), k);
                    Path target = directory.resolve(file);
                    written.add(target.toAbsolutePath().normalize());
                    try (OutputStream out = files.create(target)) {
                        Npy.write(out, shard.arrays().get(a));
                    }
                    entry.append('"').append(names.get(a)).append("\": \"").append(file).append("\", ");
                }
                entry.append("\"first_row\": ").append(shard.firstRow()).append(", \"rows\": ").append(shard.rows())
                        .append('}');
                entries.add(entry.toString());
                rows += shard.rows();
                k++;
            }
            for (Path stale : staleShards(directory, names, written)) {
                files.deleteOnCommit(stale);
            }
            StringBuilder json = new StringBuilder("{\n");
            json.append("  \"format\": \"").append(FORMAT).append("\",\n");
            for (Field f : fields) {
                json.append("  \"").append(f.name()).append("\": ").append(f.json()).append(",\n");
            }
            json.append("  \"dtype\": \"").append(dtype.label()).append("\",\n");
            json.append("  \"rows\": ").append(rows).append(",\n");
            json.append("  \"arrays\": [").append(String.join(", ", names.stream().map(n -> '"' + n + '"').toList()))
                    .append("],\n");
            json.append("  \"shards\": [\n").append(String.join(",\n", entries)).append("\n  ]\n}\n");
            try (OutputStream out = files.create(manifest)) {
                out.write(json.toString().getBytes(StandardCharsets.UTF_8));
            }
            files.commit();
            return k;
        }
    }

    /**
     * Shard files of the arrays written ({@code name-NNNNN.npy} for each of {@code names}) already
     * in the directory that this write does not replace: those of an earlier run with more shards.
     * Files of other names are left alone.
     */
    private static List<Path> staleShards(Path directory, List<String> names, List<Path> written) throws IOException {
        Pattern shard = Pattern.compile("(" + String.join("|", names.stream().map(Pattern::quote).toList())
                + ")-[0-9]{5,}\\.npy");
        List<Path> stale = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path f : files) {
                if (shard.matcher(f.getFileName().toString()).matches()
                        && !written.contains(f.toAbsolutePath().normalize())) {
                    stale.add(f);
                }
            }
        }
        return stale;
    }

    /**
     * The shard files of array {@code name} in {@code directory}, in shard order
     * ({@code name-00000.npy}, {@code name-00001.npy}, ... with no gap); at least one.
     */
    static List<Path> shards(Path directory, String name) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new java.nio.file.NoSuchFileException(directory.toString(), null,
                    "expected a directory of " + name + "-NNNNN.npy shards (written by sample)");
        }
        List<Path> found = new ArrayList<>();
        for (int k = 0; ; k++) {
            Path shard = directory.resolve(fileName(name, k));
            if (!Files.isRegularFile(shard)) {
                break;
            }
            found.add(shard);
        }
        if (found.isEmpty()) {
            throw new java.nio.file.NoSuchFileException(directory.resolve(fileName(name, 0)).toString(), null,
                    "expected the first " + name + " shard here (a directory written by sample)");
        }
        return found;
    }
}
