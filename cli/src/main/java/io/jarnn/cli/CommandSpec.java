package io.jarnn.cli;

import java.util.List;

/**
 * What a command accepts and how its help reads: the positional arguments (all required), the
 * options, a one-line summary for {@code jarnn --help} and a longer description. The parser
 * ({@link Args}) and the help text come from the same spec, so they cannot disagree.
 */
record CommandSpec(String name, List<String> positionals, String synopsis, String summary, String description,
                   List<Option> options) {
    CommandSpec {
        positionals = List.copyOf(positionals);
        options = List.copyOf(options);
    }

    Option option(String flag) {
        for (Option o : options) {
            if (o.name().equals(flag)) {
                return o;
            }
        }
        return null;
    }

    /** The text {@code jarnn NAME --help} prints. */
    String help() {
        StringBuilder sb = new StringBuilder();
        sb.append("usage: jarnn ").append(name).append(synopsis.isEmpty() ? "" : " " + synopsis).append("\n\n");
        sb.append(description.strip()).append("\n\noptions:\n");
        int width = "--help".length();
        for (Option o : options) {
            width = Math.max(width, label(o).length());
        }
        for (Option o : options) {
            appendOption(sb, label(o), o.help(), width);
        }
        appendOption(sb, "--help", "print this help", width);
        appendOption(sb, "--debug", "print the stack trace of an error", width);
        return sb.toString();
    }

    private static String label(Option o) {
        return o.takesValue() ? o.name() + " " + o.valueName() : o.name();
    }

    private static void appendOption(StringBuilder sb, String label, String help, int width) {
        String indent = " ".repeat(width + 4);
        String[] lines = help.split("\n");
        sb.append("  ").append(label).append(" ".repeat(width - label.length() + 2)).append(lines[0]).append('\n');
        for (int i = 1; i < lines.length; i++) {
            sb.append(indent).append(lines[i]).append('\n');
        }
    }
}
