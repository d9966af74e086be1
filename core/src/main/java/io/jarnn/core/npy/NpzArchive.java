package io.jarnn.core.npy;

import io.jarnn.core.NdArray;
import io.jarnn.core.Tensor;
import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.SequencedSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A NumPy {@code .npz} archive: a zip of {@code .npy} arrays, plus optional UTF-8 text entries.
 *
 * <h2>Format</h2>
 * Array {@code key} is the zip entry {@code key.npy}, as {@code numpy.savez(path, **arrays)}
 * stores it; NetKet parameters saved with {@code flatten_dict(params, sep="/")} have keys such
 * as {@code _layers_0/kernel}. Each array is read as described in {@link Npy} and kept in its
 * stored precision ({@link Npy#readArray}): {@link #array} and {@link #storedArrays} return it
 * as it is, a {@code '<f8'} array as a {@link io.jarnn.core.Tensor64}; {@link #get} and
 * {@link #arrays} return float32, narrowing a {@code '<f8'} array on first use by the rule of
 * {@link io.jarnn.core.PrecisionConversion#narrow}. A text entry is
 * any entry whose name ends in {@code .json} or {@code .txt} (jarnn stores a model's
 * configuration as {@code jarnn-config.json}); its key is its full name. NumPy's
 * {@code np.load} returns such an entry as raw bytes, so jarnn archives stay readable there.
 *
 * <h2>Reading</h2>
 * Stored and deflated entries ({@code savez} and {@code savez_compressed}) are read. Directory
 * entries (added by some zip tools) are skipped. Rejected with an {@link NpyFormatException}
 * naming the file and, where known, the key: a file that is not a zip or is truncated or
 * corrupt (including CRC mismatches), more than {@link ReadLimits#maxEntries()} entries,
 * expansion beyond {@link ReadLimits#maxTotalBytes()} in total (counted while inflating), any
 * other entry name, a key that appears twice, an array with trailing bytes, a text entry longer
 * than {@value #MAX_TEXT_BYTES} bytes or not valid UTF-8.
 *
 * <h2>Writing</h2>
 * Each array is written in its own precision ({@code '<f4'} for a {@link Tensor},
 * {@code '<f8'} for a {@link io.jarnn.core.Tensor64}), exactly as {@link Npy#write} writes it.
 * Entries are stored uncompressed, like {@code numpy.savez}, in the maps' iteration order
 * (arrays, then texts), with a fixed timestamp (1980-01-01) so that equal content gives equal
 * files. The target is replaced atomically; see {@link #write(Path, Map, Map)}.
 *
 * <p>An instance is immutable apart from the arrays it holds, which are freshly read and owned
 * by the caller. The float32 copy of a {@code '<f8'} array is made once, on first use, and is a
 * copy: writing to it does not change the stored array.
 */
public final class NpzArchive {
    /** Longest text entry read. */
    public static final int MAX_TEXT_BYTES = 1 << 24;

    /** DOS time cannot express earlier dates; any fixed value makes output reproducible. */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private final String source;
    private final SequencedMap<String, NdArray> arrays;
    private final SequencedMap<String, String> texts;
    /** float32 arrays by key, each made on first use: {@link #get} returns the same one every time. */
    private final Map<String, Tensor> singlePrecision = new ConcurrentHashMap<>();

    private NpzArchive(String source, SequencedMap<String, NdArray> arrays, SequencedMap<String, String> texts) {
        this.source = source;
        this.arrays = Collections.unmodifiableSequencedMap(arrays);
        this.texts = Collections.unmodifiableSequencedMap(texts);
    }

    /** {@link #read(Path, ReadLimits)} with {@link ReadLimits#DEFAULT}. */
    public static NpzArchive read(Path path) throws IOException {
        return read(path, ReadLimits.DEFAULT);
    }

    /**
     * Reads every entry of an {@code .npz} file, which must be on the default file system
     * ({@link ZipFile} needs a {@link java.io.File}).
     *
     * @throws NpyFormatException if the archive or one of its entries is unreadable, unsupported
     *                            or exceeds {@code limits}
     */
    public static NpzArchive read(Path path, ReadLimits limits) throws IOException {
        return read(path, limits, ArrayAdmission.ANY);
    }

    /**
     * As {@link #read(Path, ReadLimits)}, reading the text entries first and then only the
     * arrays {@code admission} admits: a refused entry stops the read after its header, before
     * its data is inflated. The admission learns each array's key, shape and stored precision.
     *
     * @throws IOException whatever {@code admission} throws, or as {@link #read(Path, ReadLimits)}
     */
    public static NpzArchive read(Path path, ReadLimits limits, ArrayAdmission admission) throws IOException {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(admission, "admission");
        String source = path.toString();
        long archiveSize = Files.size(path);
        ZipFile zip;
        try {
            zip = new ZipFile(path.toFile());
        } catch (ZipException e) {
            throw new NpyFormatException(source, "expected a zip archive (.npz) but it is not one or it is "
                    + "truncated or corrupt: " + e.getMessage(), e);
        }
        try (zip) {
            if (zip.size() > limits.maxEntries()) {
                throw new NpyFormatException(source, "expected at most " + limits.maxEntries()
                        + " entries (ReadLimits.maxEntries) but the archive has " + zip.size());
            }
            return readEntries(zip, source, archiveSize, limits, admission);
        }
    }

    /**
     * As {@link #read(Path, ReadLimits, ArrayAdmission)}, of an archive held in memory (e.g. a
     * model sent over the network): the same checks and the same errors, each message starting
     * with {@code source} (what the bytes are, for the reader of the message) instead of a file
     * name. A truncated archive is refused as such, even one cut between two entries.
     *
     * @throws NpyFormatException if the bytes are not a whole, readable archive within {@code limits}
     */
    public static NpzArchive read(byte[] bytes, String source, ReadLimits limits, ArrayAdmission admission)
            throws IOException {
        if (bytes == null) {
            throw new IllegalArgumentException("bytes: expected the bytes of an .npz archive but got null");
        }
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(admission, "admission");
        InMemoryZip zip = InMemoryZip.of(bytes, source, limits);
        return readEntries(Collections.enumeration(zip.entries()), zip::open, source, bytes.length, limits, admission);
    }

    /** {@link #read(byte[], String, ReadLimits, ArrayAdmission)} admitting every array. */
    public static NpzArchive read(byte[] bytes, String source, ReadLimits limits) throws IOException {
        return read(bytes, source, limits, ArrayAdmission.ANY);
    }

    /** Opens one entry's content. */
    @FunctionalInterface
    private interface EntryOpener {
        InputStream open(ZipEntry entry) throws IOException;
    }

    private static NpzArchive readEntries(ZipFile zip, String source, long archiveSize, ReadLimits limits,
                                          ArrayAdmission admission) throws IOException {
        return readEntries(zip.entries(), zip::getInputStream, source, archiveSize, limits, admission);
    }

    /** Texts first (the admission may need them), then the arrays, each in archive order. */
    private static NpzArchive readEntries(Enumeration<? extends ZipEntry> entries, EntryOpener zip, String source,
                                          long archiveSize, ReadLimits limits, ArrayAdmission admission)
            throws IOException {
        SequencedMap<String, NdArray> arrays = new LinkedHashMap<>();
        SequencedMap<String, String> texts = new LinkedHashMap<>();
        ByteBudget budget = new ByteBudget(limits.maxTotalBytes());
        SequencedMap<String, ZipEntry> arrayEntries = new LinkedHashMap<>();
        while (entries.hasMoreElements()) {
            ZipEntry entry = entries.nextElement();
            String name = entry.getName();
            if (entry.isDirectory()) {
                continue;
            }
            if (NpzEntryNames.isArray(name)) {
                String key = NpzEntryNames.keyOf(name);
                if (key.isEmpty() || arrayEntries.containsKey(key)) {
                    throw new NpyFormatException(source + ", key '" + key + "'", key.isEmpty()
                            ? "expected a non-empty key but the entry is named '" + name + "'"
                            : "expected each key once but it appears twice");
                }
                arrayEntries.put(key, entry);
            } else if (NpzEntryNames.isText(name)) {
                String entrySource = source + ", text entry '" + name + "'";
                if (texts.containsKey(name)) {
                    throw new NpyFormatException(entrySource, "expected each entry once but it appears twice");
                }
                texts.put(name, readEntry(zip, entry, entrySource, budget,
                        in -> readText(in, entrySource)));
            } else {
                throw new NpyFormatException(source, "expected only entries ending in '.npy' (arrays) or one of "
                        + NpzEntryNames.TEXT_SUFFIXES + " (text) but got '" + name + "'");
            }
        }
        admission.texts(Collections.unmodifiableSequencedMap(texts),
                Collections.unmodifiableSequencedSet(arrayEntries.sequencedKeySet()));
        for (Map.Entry<String, ZipEntry> e : arrayEntries.entrySet()) {
            String key = e.getKey();
            ZipEntry entry = e.getValue();
            String entrySource = source + ", key '" + key + "'";
            arrays.put(key, readEntry(zip, entry, entrySource, budget,
                    in -> NpyReader.read(in, entrySource, storedLength(entry, archiveSize, entrySource), true,
                            limits, NpyReader.Precision.STORED, (shape, dtype) -> admission.admit(key, shape, dtype))));
        }
        return new NpzArchive(source, arrays, texts);
    }

    @FunctionalInterface
    private interface EntryReader<T> {
        T read(InputStream in) throws IOException;
    }

    /**
     * Reads one entry through the shared budget and checks its CRC, which {@link ZipFile} does
     * not do itself (a corrupt stored entry would otherwise pass unnoticed).
     */
    private static <T> T readEntry(EntryOpener zip, ZipEntry entry, String entrySource, ByteBudget budget,
            EntryReader<T> reader) throws IOException {
        budget.requireDeclared(entry.getSize(), entrySource);
        try (InputStream raw = zip.open(entry);
                CheckedInputStream in = new CheckedInputStream(new BudgetedInputStream(raw, budget, entrySource),
                        new CRC32())) {
            T value = reader.read(in);
            if (in.read() >= 0) {
                throw new NpyFormatException(entrySource, "expected the entry to end after its content but more "
                        + "bytes follow");
            }
            long actual = in.getChecksum().getValue();
            if (entry.getCrc() != -1 && actual != entry.getCrc()) {
                throw new NpyFormatException(entrySource, "corrupt entry: expected CRC-32 "
                        + Long.toHexString(entry.getCrc()) + " but the content has " + Long.toHexString(actual));
            }
            return value;
        } catch (ZipException | EOFException e) {
            throw new NpyFormatException(entrySource, "corrupt or truncated entry: " + e.getMessage(), e);
        }
    }

    /**
     * The length of a stored entry, which the archive must physically contain, so the reader can
     * check it against the header before allocating; -1 for a compressed entry, whose declared
     * size is only a claim.
     */
    private static long storedLength(ZipEntry entry, long archiveSize, String entrySource)
            throws NpyFormatException {
        if (entry.getMethod() != ZipEntry.STORED || entry.getSize() < 0) {
            return -1;
        }
        if (entry.getSize() > archiveSize) {
            throw new NpyFormatException(entrySource, "corrupt entry: it declares " + entry.getSize()
                    + " stored bytes but the whole archive holds only " + archiveSize);
        }
        return entry.getSize();
    }

    private static String readText(InputStream in, String entrySource) throws IOException {
        byte[] bytes = in.readNBytes(MAX_TEXT_BYTES + 1);
        if (bytes.length > MAX_TEXT_BYTES) {
            throw new NpyFormatException(entrySource, "expected a text entry of at most " + MAX_TEXT_BYTES
                    + " bytes but it is longer");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new NpyFormatException(entrySource, "expected UTF-8 text but the entry is not valid UTF-8", e);
        }
    }

    /** {@link #write(Path, Map, Map)} without text entries. */
    public static void write(Path path, Map<String, ? extends NdArray> arrays) throws IOException {
        write(path, arrays, Map.of());
    }

    /**
     * Writes {@code arrays} as {@code key.npy} entries and {@code texts} as UTF-8 entries under
     * their own names, replacing {@code path} atomically: on any failure an existing file is left
     * untouched and no temporary file remains.
     *
     * <p>Keys must be non-empty '/'-separated names without empty, "." or ".." segments,
     * backslashes or control characters; text names must also end in {@code .json} or
     * {@code .txt}. Both maps are copied and checked before the file is touched.
     *
     * @throws IllegalArgumentException naming {@code arrays} or {@code texts} for a bad key or a
     *                                  null value
     */
    public static void write(Path path, Map<String, ? extends NdArray> arrays, Map<String, String> texts)
            throws IOException {
        Objects.requireNonNull(path, "path");
        List<Map.Entry<String, NdArray>> arrayEntries = checkedArrays(arrays);
        List<Map.Entry<String, byte[]>> textEntries = checkedTexts(texts);
        AtomicFiles.write(path, out -> writeEntries(out, arrayEntries, textEntries));
    }

    /**
     * Writes the archive of {@link #write(Path, Map, Map)}, byte for byte, to {@code out} (which it
     * flushes but does not close): for an archive that is one file of an {@link AtomicFileSet}.
     * Both maps are checked before anything is written.
     *
     * @throws IllegalArgumentException as {@link #write(Path, Map, Map)}
     */
    public static void write(OutputStream out, Map<String, ? extends NdArray> arrays, Map<String, String> texts)
            throws IOException {
        Objects.requireNonNull(out, "out");
        List<Map.Entry<String, NdArray>> arrayEntries = checkedArrays(arrays);
        List<Map.Entry<String, byte[]>> textEntries = checkedTexts(texts);
        // Closing the zip stream ends its deflater; the wrapper keeps that from closing out.
        writeEntries(new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        }, arrayEntries, textEntries);
    }

    private static void writeEntries(OutputStream out, List<Map.Entry<String, NdArray>> arrayEntries,
                                     List<Map.Entry<String, byte[]>> textEntries) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, NdArray> e : arrayEntries) {
                NdArray array = e.getValue();
                zip.putNextEntry(storedEntry(e.getKey(), NpyWriter.encodedLength(array), NpyWriter.crc32(array)));
                NpyWriter.write(zip, array);
                zip.closeEntry();
            }
            for (Map.Entry<String, byte[]> e : textEntries) {
                CRC32 crc = new CRC32();
                crc.update(e.getValue());
                zip.putNextEntry(storedEntry(e.getKey(), e.getValue().length, crc.getValue()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
    }

    private static List<Map.Entry<String, NdArray>> checkedArrays(Map<String, ? extends NdArray> arrays) {
        Objects.requireNonNull(arrays, "arrays");
        List<Map.Entry<String, NdArray>> out = new ArrayList<>();
        for (Map.Entry<String, ? extends NdArray> e : arrays.entrySet()) {
            String entryName = NpzEntryNames.arrayEntry(e.getKey());
            if (e.getValue() == null) {
                throw new IllegalArgumentException("arrays: expected a tensor for key '" + e.getKey()
                        + "' but got null");
            }
            out.add(Map.entry(entryName, e.getValue()));
        }
        return out;
    }

    private static List<Map.Entry<String, byte[]>> checkedTexts(Map<String, String> texts) {
        Objects.requireNonNull(texts, "texts");
        List<Map.Entry<String, byte[]>> out = new ArrayList<>();
        for (Map.Entry<String, String> e : texts.entrySet()) {
            String entryName = NpzEntryNames.textEntry(e.getKey());
            if (e.getValue() == null) {
                throw new IllegalArgumentException("texts: expected text for '" + e.getKey() + "' but got null");
            }
            out.add(Map.entry(entryName, e.getValue().getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static ZipEntry storedEntry(String name, long size, long crc) {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(size);
        entry.setCompressedSize(size);
        entry.setCrc(crc);
        entry.setTimeLocal(ENTRY_TIME);
        return entry;
    }

    /**
     * The arrays by key, in archive order, in float32 (see {@link #get}).
     *
     * @throws IllegalArgumentException as {@link #get} for a {@code '<f8'} array beyond float32 range
     */
    public SequencedMap<String, Tensor> arrays() {
        SequencedMap<String, Tensor> out = new LinkedHashMap<>();
        for (String key : arrays.keySet()) {
            out.put(key, get(key));
        }
        return Collections.unmodifiableSequencedMap(out);
    }

    /** The arrays by key, in archive order, each in its stored precision. */
    public SequencedMap<String, NdArray> storedArrays() {
        return arrays;
    }

    /** The array keys, in archive order. */
    public SequencedSet<String> keys() {
        return arrays.sequencedKeySet();
    }

    public boolean contains(String key) {
        return arrays.containsKey(key);
    }

    /**
     * The array stored under {@code key}, in float32: the stored array itself unless it is
     * {@code '<f8'}, else a copy rounded to nearest, made on first use and returned every time
     * after.
     *
     * @throws IllegalArgumentException naming the key, the file and the keys it does hold if
     *                                  there is no such array; naming the key and the element
     *                                  if a {@code '<f8'} value is finite but beyond float32
     *                                  range (read it with {@link #array} instead)
     */
    public Tensor get(String key) {
        NdArray stored = array(key);
        return singlePrecision.computeIfAbsent(key, k -> narrow(k, stored));
    }

    private Tensor narrow(String key, NdArray stored) {
        try {
            return stored.toSinglePrecision();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key: expected an array that fits float32 but '" + key + "' in "
                    + source + " is stored as " + stored.dtype().npyDescr() + " and does not (" + e.getMessage()
                    + "); read it in float64 with array(key)", e);
        }
    }

    /**
     * The array stored under {@code key}, in its stored precision: a
     * {@link io.jarnn.core.Tensor64} for {@code '<f8'}, a {@link Tensor} for every other dtype.
     *
     * @throws IllegalArgumentException naming the key, the file and the keys it does hold
     */
    public NdArray array(String key) {
        NdArray t = arrays.get(key);
        if (t == null) {
            List<String> keys = List.copyOf(arrays.keySet());
            String shown = keys.size() <= 20 ? keys.toString() : keys.subList(0, 20) + " and " + (keys.size() - 20)
                    + " more";
            throw new IllegalArgumentException("key: expected one of " + shown + " in " + source + " but got '"
                    + key + "'");
        }
        return t;
    }

    /** Text entries by name, in archive order; empty for a plain NumPy archive. */
    public SequencedMap<String, String> texts() {
        return texts;
    }

    /** The text entry {@code name} (e.g. {@code jarnn-config.json}), if present. */
    public Optional<String> text(String name) {
        return Optional.ofNullable(texts.get(name));
    }

    @Override
    public String toString() {
        return "NpzArchive(" + source + ": " + arrays.size() + " arrays " + arrays.keySet() + ", "
                + texts.size() + " text entries " + texts.keySet() + ")";
    }
}
