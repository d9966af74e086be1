package io.jarnn.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parsed arguments of one command: positionals and {@code --flag value},
 * {@code --flag=value} or {@code --flag} (a switch), checked against a {@link CommandSpec}.
 * Every problem is a {@link UsageException} whose message names the flag and ends with a
 * pointer to the command's help. Values are converted by typed accessors that fail the same way.
 */
final class Args {
    private final CommandSpec spec;
    private final List<String> positionals;
    private final Map<String, String> values;

    private Args(CommandSpec spec, List<String> positionals, Map<String, String> values) {
        this.spec = spec;
        this.positionals = positionals;
        this.values = values;
    }

    /** Parses {@code argv} (the words after the command name). {@code --} ends the options. */
    static Args parse(CommandSpec spec, List<String> argv) {
        List<String> positionals = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();
        boolean optionsEnded = false;
        for (int i = 0; i < argv.size(); i++) {
            String word = argv.get(i);
            if (optionsEnded || !word.startsWith("-") || word.equals("-")) {
                positionals.add(word);
                continue;
            }
            if (word.equals("--")) {
                optionsEnded = true;
                continue;
            }
            int eq = word.indexOf('=');
            String name = eq < 0 ? word : word.substring(0, eq);
            Option option = spec.option(name);
            if (option == null) {
                throw usage(spec, "unknown option '" + name + "'");
            }
            if (values.containsKey(name)) {
                throw usage(spec, name + ": given twice");
            }
            String value;
            if (!option.takesValue()) {
                if (eq >= 0) {
                    throw usage(spec, name + ": takes no value but got '" + word.substring(eq + 1) + "'");
                }
                value = "";
            } else if (eq >= 0) {
                value = word.substring(eq + 1);
            } else if (i + 1 < argv.size() && !argv.get(i + 1).startsWith("--")) {
                value = argv.get(++i);
            } else {
                throw usage(spec, name + ": expected a value (" + option.valueName() + ")");
            }
            values.put(name, value);
        }
        List<String> expected = spec.positionals();
        if (positionals.size() > expected.size()) {
            String extra = positionals.get(expected.size());
            throw usage(spec, extra.startsWith("-") && extra.length() > 1
                    ? "unknown option '" + extra + "'"
                    : "unexpected argument '" + extra + "'");
        }
        if (positionals.size() < expected.size()) {
            throw usage(spec, "missing " + expected.get(positionals.size()));
        }
        return new Args(spec, List.copyOf(positionals), values);
    }

    static UsageException usage(CommandSpec spec, String problem) {
        return new UsageException(problem + " (see jarnn " + spec.name() + " --help)");
    }

    UsageException usage(String problem) {
        return usage(spec, problem);
    }

    String positional(int index) {
        return positionals.get(index);
    }

    boolean has(String flag) {
        requireDeclared(flag);
        return values.containsKey(flag);
    }

    Optional<String> string(String flag) {
        requireDeclared(flag);
        return Optional.ofNullable(values.get(flag));
    }

    String required(String flag) {
        return string(flag).orElseThrow(() -> usage("missing " + flag + " " + spec.option(flag).valueName()));
    }

    /** A switch: present or not. */
    boolean flag(String flag) {
        return has(flag);
    }

    int integer(String flag, int defaultValue, int min) {
        Optional<String> text = string(flag);
        return text.isEmpty() ? defaultValue : parseInt(flag, text.get(), min);
    }

    int requiredInteger(String flag, int min) {
        return parseInt(flag, required(flag), min);
    }

    private int parseInt(String flag, String text, int min) {
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= min) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below with the flag's name
        }
        throw usage(flag + ": expected an integer >= " + min + " but got '" + text + "'");
    }

    long longValue(String flag, long defaultValue) {
        Optional<String> text = string(flag);
        if (text.isEmpty()) {
            return defaultValue;
        }
        try {
            return Long.parseLong(text.get().strip());
        } catch (NumberFormatException e) {
            throw usage(flag + ": expected an integer (64-bit) but got '" + text.get() + "'");
        }
    }

    float floatValue(String flag, float defaultValue) {
        Optional<String> text = string(flag);
        if (text.isEmpty()) {
            return defaultValue;
        }
        // Float.parseFloat would also take "2f", "0x1p1" and "NaN"; accept plain decimals only.
        String t = text.get().strip();
        if (t.matches("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?")) {
            float value = Float.parseFloat(t);
            if (Float.isFinite(value)) {
                return value;
            }
        }
        throw usage(flag + ": expected a finite decimal number but got '" + text.get() + "'");
    }

    Optional<Path> path(String flag) {
        return string(flag).map(text -> toPath(flag, text));
    }

    Path requiredPath(String flag) {
        return toPath(flag, required(flag));
    }

    Path positionalPath(int index) {
        return toPath(spec.positionals().get(index), positional(index));
    }

    private Path toPath(String what, String text) {
        if (text.isBlank()) {
            throw usage(what + ": expected a file name but got an empty one");
        }
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw usage(what + ": not a valid file name: " + e.getMessage());
        }
    }

    /** Catches typos in command code: asking for a flag the spec does not declare is a bug. */
    private void requireDeclared(String flag) {
        if (spec.option(flag) == null) {
            throw new IllegalStateException("jarnn " + spec.name() + " does not declare " + flag);
        }
    }
}
