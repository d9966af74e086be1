package io.jarnn.cli;

import io.jarnn.core.DType;
import io.jarnn.core.HilbertSpace;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The option value types of {@code jarnn}. A converter's message says what was expected, with
 * the whole range an integer may take, and what came
 * ({@code "expected an integer 1..2147483647 but got '1000000000000'"}); {@link UsageErrors}
 * puts the option's name in front. Picocli's own converters are not used: they would accept {@code 0x10}
 * for an int and {@code NaN} for a float, and word their messages differently.
 */
final class Converters {
    private Converters() {
    }

    /** A count: {@code --samples}, {@code --layers}, {@code --batch}. */
    static final class PositiveInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String text) {
            return parseInt(text, 1, Integer.MAX_VALUE);
        }
    }

    /** A count that may be zero: {@code --checkpoint-every}. */
    static final class NonNegativeInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String text) {
            return parseInt(text, 0, Integer.MAX_VALUE);
        }
    }

    /** {@code --threads}: 1 .. {@link ThreadsOption#MAX_THREADS}. */
    static final class Threads implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String text) {
            return parseInt(text, 1, ThreadsOption.MAX_THREADS);
        }
    }

    /** An int the library validates itself ({@code --kernel-size}, {@code --dilation}). */
    static final class AnyInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String text) {
            return parseInt(text, Integer.MIN_VALUE, Integer.MAX_VALUE);
        }
    }

    /** A seed: any 64-bit integer, decimal only. */
    static final class Seed implements ITypeConverter<Long> {
        @Override
        public Long convert(String text) {
            try {
                return Long.parseLong(text.strip());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("expected an integer (64-bit) but got '" + text + "'");
            }
        }
    }

    /** A finite decimal such as {@code 2}, {@code 1.5} or {@code 1e-3}. */
    static final class Decimal implements ITypeConverter<Float> {
        @Override
        public Float convert(String text) {
            // Float.parseFloat would also take "2f", "0x1p1" and "NaN"; accept plain decimals only.
            String t = text.strip();
            if (t.matches("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?")) {
                float value = Float.parseFloat(t);
                if (Float.isFinite(value)) {
                    return value;
                }
            }
            throw new TypeConversionException("expected a finite decimal number but got '" + text + "'");
        }
    }

    /**
     * {@code on} or {@code off}. Not a {@code boolean}: picocli would make a boolean option a
     * switch that takes no value.
     */
    enum OnOff {
        ON, OFF;

        static final class Converter implements ITypeConverter<OnOff> {
            @Override
            public OnOff convert(String text) {
                return switch (text) {
                    case "on" -> ON;
                    case "off" -> OFF;
                    default -> throw new TypeConversionException("expected on or off but got '" + text + "'");
                };
            }
        }
    }

    /**
     * {@code --dtype}: {@code float32} or {@code float64} (also NumPy's {@code f4}, {@code f8},
     * any case, as {@link DType#parse} takes them).
     */
    static final class Precision implements ITypeConverter<DType> {
        @Override
        public DType convert(String text) {
            try {
                return DType.parse("--dtype", text);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("expected float32 or float64 but got '" + text + "'");
            }
        }
    }

    /** A file name: not empty and valid for the file system. */
    static final class FileName implements ITypeConverter<Path> {
        @Override
        public Path convert(String text) {
            if (text.isBlank()) {
                throw new TypeConversionException("expected a file name but got an empty one");
            }
            try {
                return Path.of(text);
            } catch (InvalidPathException e) {
                throw new TypeConversionException("not a valid file name: " + e.getMessage());
            }
        }
    }

    /** A Hilbert space in the forms of {@link HilbertSpec}. */
    static final class Hilbert implements ITypeConverter<HilbertSpace> {
        @Override
        public HilbertSpace convert(String text) {
            try {
                return HilbertSpec.parse(text);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** A {@code --hamiltonian} in the forms of {@link HamiltonianSpec}. */
    static final class Hamiltonian implements ITypeConverter<HamiltonianSpec> {
        @Override
        public HamiltonianSpec convert(String text) {
            try {
                return HamiltonianSpec.parse(text);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** A {@code --lattice} in the forms of {@link LatticeSpec}. */
    static final class Lattice implements ITypeConverter<LatticeSpec> {
        @Override
        public LatticeSpec convert(String text) {
            try {
                return LatticeSpec.parse(text);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** A finite decimal &gt; 0 in double precision: {@code --lr}. */
    static final class PositiveDouble implements ITypeConverter<Double> {
        @Override
        public Double convert(String text) {
            return parseDouble(text, false);
        }
    }

    /** A finite decimal &gt;= 0 in double precision: {@code --diag-shift}. */
    static final class NonNegativeDouble implements ITypeConverter<Double> {
        @Override
        public Double convert(String text) {
            return parseDouble(text, true);
        }
    }

    private static double parseDouble(String text, boolean zeroAllowed) {
        String t = text.strip();
        if (t.matches("[+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?")) {
            double value = Double.parseDouble(t);
            if (Double.isFinite(value) && (value > 0 || (zeroAllowed && value == 0))) {
                return value;
            }
        }
        throw new TypeConversionException("expected a decimal number " + (zeroAllowed ? ">= 0" : "> 0")
                + " such as 0.01 or 1e-3 but got '" + text + "'");
    }

    /**
     * A decimal int in {@code min..max}; anything else, a word or a number out of that range
     * (even out of the int range), is reported with the range.
     */
    static int parseInt(String text, int min, int max) {
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new TypeConversionException("expected an integer " + min + ".." + max + " but got '" + text + "'");
    }
}
