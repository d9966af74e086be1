package io.jarnn.core.npy;

import io.jarnn.core.Shapes;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * The preamble of a {@code .npy} file: magic {@code \x93NUMPY}, a major and minor version byte,
 * the header length (uint16 little-endian in version 1.0, uint32 in 2.0 and 3.0), and the header
 * itself, a Python dict literal such as
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }} (Latin-1 in 1.0 and 2.0,
 * UTF-8 in 3.0), padded with spaces and a newline.
 *
 * <p>The dict must hold exactly the keys {@code descr}, {@code fortran_order} and {@code shape},
 * in any order. Shape {@code ()} (a NumPy scalar) is read as a 1-element array of shape
 * {@code (1,)} because a {@link io.jarnn.core.Tensor} has rank >= 1; a shape with a zero-length
 * axis is rejected because a Tensor cannot be empty. Alignment of the data offset is not
 * checked on read: old NumPy aligned it to 16 bytes, current NumPy to 64.
 *
 * @param version      major format version, 1, 2 or 3
 * @param dtype        element type
 * @param declaredShape the shape as written, possibly {@code ()}
 * @param elementCount product of the shape (1 for a scalar)
 * @param dataOffset   bytes from the start of the file to the first element
 */
record NpyHeader(int version, NpyDtype dtype, int[] declaredShape, long elementCount, long dataOffset) {
    /**
     * Longest header accepted: 1 MiB. Above the 65535 bytes of version 1.0, so that every header
     * the writer produces (version 2.0 for tensors of very high rank) reads back; far below
     * anything that could hurt. NumPy itself refuses more than 10 000 bytes unless told otherwise.
     */
    static final int MAX_HEADER_BYTES = 1 << 20;

    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private static final Set<String> KEYS = Set.of("descr", "fortran_order", "shape");

    /** Bytes of data after the header. */
    long dataBytes() {
        return elementCount * dtype.itemSize();
    }

    /** The shape of the Tensor that holds this array: the declared one, or (1,) for a scalar. */
    int[] tensorShape() {
        return declaredShape.length == 0 ? new int[] {1} : declaredShape.clone();
    }

    /** "shape (3, 4) of '<f4'", as messages name an array. */
    String describe() {
        return "shape " + Shapes.format(declaredShape) + " of '" + dtype.descr() + "'";
    }

    /**
     * Reads and validates the preamble, leaving {@code in} at the first data byte.
     *
     * @param knownLength total bytes available in {@code in}, or -1 when unknown
     */
    static NpyHeader read(InputStream in, String source, long knownLength, ReadLimits limits) throws IOException {
        byte[] prefix = in.readNBytes(MAGIC.length + 2);
        for (int i = 0; i < Math.min(prefix.length, MAGIC.length); i++) {
            if (prefix[i] != MAGIC[i]) {
                throw badMagic(source, prefix);
            }
        }
        if (prefix.length < MAGIC.length + 2) {
            throw new NpyFormatException(source, "expected a .npy preamble of at least 10 bytes but the "
                    + "input ends after " + prefix.length);
        }
        int major = prefix[6] & 0xFF;
        int minor = prefix[7] & 0xFF;
        if (major < 1 || major > 3 || minor != 0) {
            throw new NpyFormatException(source, "unsupported .npy format version " + major + "." + minor
                    + "; expected 1.0, 2.0 or 3.0");
        }
        int lengthBytes = major == 1 ? 2 : 4;
        byte[] lengthField = in.readNBytes(lengthBytes);
        if (lengthField.length < lengthBytes) {
            throw new NpyFormatException(source, "expected a " + lengthBytes + "-byte header length but the input "
                    + "ends after " + (8 + lengthField.length) + " bytes");
        }
        long headerLength = 0;
        for (int i = lengthBytes - 1; i >= 0; i--) {
            headerLength = headerLength << 8 | (lengthField[i] & 0xFF);
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw new NpyFormatException(source, "header length " + headerLength + " exceeds the limit of "
                    + MAX_HEADER_BYTES + " bytes");
        }
        long dataOffset = 8 + lengthBytes + headerLength;
        if (knownLength >= 0 && knownLength < dataOffset) {
            throw new NpyFormatException(source, "truncated header: expected " + dataOffset + " bytes of "
                    + "preamble but the input holds only " + knownLength);
        }
        byte[] headerBytes = in.readNBytes((int) headerLength);
        if (headerBytes.length < headerLength) {
            throw new NpyFormatException(source, "truncated header: expected " + headerLength + " header bytes "
                    + "but the input ends after " + headerBytes.length);
        }
        String text = decode(headerBytes, major, source);
        return parse(text, major, dataOffset, source, limits);
    }

    private static NpyFormatException badMagic(String source, byte[] prefix) {
        boolean zip = prefix.length >= 4 && prefix[0] == 'P' && prefix[1] == 'K' && prefix[2] == 3 && prefix[3] == 4;
        return new NpyFormatException(source, "not a .npy file: expected magic b'\\x93NUMPY' but got "
                + pythonBytes(prefix) + (zip ? " (a zip archive: read it with NpzArchive)" : ""));
    }

    /** {@code b'...'} with printable ASCII as is and other bytes as \xNN. */
    static String pythonBytes(byte[] bytes) {
        StringBuilder sb = new StringBuilder("b'");
        for (byte b : bytes) {
            int c = b & 0xFF;
            if (c >= 0x20 && c < 0x7F && c != '\'' && c != '\\') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.append('\'').toString();
    }

    private static String decode(byte[] headerBytes, int major, String source) throws NpyFormatException {
        if (major < 3) {
            return new String(headerBytes, StandardCharsets.ISO_8859_1);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(headerBytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new NpyFormatException(source, "malformed header: version 3.0 requires UTF-8 but the header "
                    + "is not valid UTF-8", e);
        }
    }

    /** Validates a header dict; {@code dataOffset} is where the data starts. */
    static NpyHeader parse(String text, int version, long dataOffset, String source, ReadLimits limits)
            throws NpyFormatException {
        Map<String, PythonLiteral.Value> dict;
        try {
            dict = PythonLiteral.parseDict(text);
        } catch (PythonLiteral.SyntaxException e) {
            throw new NpyFormatException(source, "malformed header: " + e.getMessage() + " in " + excerpt(text), e);
        }
        for (String key : KEYS) {
            if (!dict.containsKey(key)) {
                throw new NpyFormatException(source, "malformed header: expected keys 'descr', 'fortran_order' "
                        + "and 'shape' but '" + key + "' is missing in " + excerpt(text));
            }
        }
        for (String key : dict.keySet()) {
            if (!KEYS.contains(key)) {
                throw new NpyFormatException(source, "malformed header: expected only keys 'descr', "
                        + "'fortran_order' and 'shape' but got '" + key + "'");
            }
        }
        NpyDtype dtype = switch (dict.get("descr")) {
            case PythonLiteral.Str s -> NpyDtype.parse(s.value(), source);
            case PythonLiteral.Seq s when !s.tuple() -> throw new NpyFormatException(source, "structured dtype "
                    + PythonLiteral.repr(s) + " is not supported; expected a plain numeric descr such as '<f4'");
            case PythonLiteral.Value v -> throw new NpyFormatException(source, "malformed header: expected "
                    + "'descr' to be a string but got " + PythonLiteral.repr(v));
        };
        if (!(dict.get("fortran_order") instanceof PythonLiteral.Bool fortran)) {
            throw new NpyFormatException(source, "malformed header: expected 'fortran_order' to be True or False "
                    + "but got " + PythonLiteral.repr(dict.get("fortran_order")));
        }
        if (fortran.value()) {
            throw new NpyFormatException(source, "Fortran-ordered (column-major) arrays are not supported; "
                    + "expected fortran_order False (save np.ascontiguousarray(a) instead)");
        }
        int[] shape = shape(dict.get("shape"), source, limits);
        long count = 1;
        for (int d : shape) {
            count *= d;
        }
        return new NpyHeader(version, dtype, shape, count, dataOffset);
    }

    private static int[] shape(PythonLiteral.Value value, String source, ReadLimits limits)
            throws NpyFormatException {
        if (!(value instanceof PythonLiteral.Seq seq) || !seq.tuple()) {
            throw new NpyFormatException(source, "malformed header: expected 'shape' to be a tuple of "
                    + "non-negative integers but got " + PythonLiteral.repr(value));
        }
        boolean empty = false;
        for (PythonLiteral.Value item : seq.items()) {
            if (!(item instanceof PythonLiteral.Int dim) || dim.value().signum() < 0) {
                throw new NpyFormatException(source, "malformed header: expected 'shape' to be a tuple of "
                        + "non-negative integers but it contains " + PythonLiteral.repr(item));
            }
            empty |= dim.value().signum() == 0;
        }
        String shapeText = abbreviate(PythonLiteral.repr(seq));
        if (empty) {
            throw new NpyFormatException(source, "shape " + shapeText + " is empty; expected every dimension "
                    + ">= 1 (a Tensor cannot hold zero elements)");
        }
        BigInteger limit = BigInteger.valueOf(limits.maxElements());
        BigInteger product = BigInteger.ONE;
        for (PythonLiteral.Value item : seq.items()) {
            product = product.multiply(((PythonLiteral.Int) item).value());
            if (product.compareTo(limit) > 0) {
                // Stop multiplying: a hostile header may list thousands of huge dimensions.
                throw new NpyFormatException(source, "shape " + shapeText + " declares more than "
                        + limits.maxElements() + " elements; expected at most " + limits.maxElements()
                        + " (ReadLimits.maxElements)");
            }
        }
        int[] shape = new int[seq.items().size()];
        for (int i = 0; i < shape.length; i++) {
            // Each dimension divides a product that fits in an int, so it fits too.
            shape[i] = ((PythonLiteral.Int) seq.items().get(i)).value().intValueExact();
        }
        return shape;
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    /** The header as a message can quote it: escaped, and cut short when long. */
    private static String excerpt(String text) {
        String cut = abbreviate(text.strip());
        if (cut.isEmpty()) {
            return "an empty header";
        }
        StringBuilder sb = new StringBuilder("header ");
        cut.codePoints().forEach(c -> {
            if (c >= 0x20 && c != 0x7F) {
                sb.appendCodePoint(c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        });
        return sb.toString();
    }
}
