package io.jarnn.cli;

import picocli.CommandLine;
import picocli.CommandLine.MaxValuesExceededException;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.OverwrittenOptionException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one-line message for a command line that cannot be run: what is wrong, naming the option
 * (or argument), then a pointer to the command's help, e.g.
 * {@code --samples: expected an integer 1..2147483647 but got '0' (see jarnn sample --help)}. Picocli's
 * exceptions carry the option and the offending words; their messages are reworded here so
 * that all errors read alike, whether picocli or a command found them.
 */
final class UsageErrors {
    private UsageErrors() {
    }

    /** Picocli's only words for a switch given a value ({@code --log-prob=yes}); it names neither in fields. */
    private static final Pattern SWITCH_WITH_VALUE = Pattern.compile(
            "option '(.+)' should be specified without '(.*)' parameter");
    /** And for an option followed by an option-like word ({@code --out --typo}). */
    private static final Pattern OPTION_INSTEAD_OF_VALUE = Pattern.compile(
            ".*Expected parameter for option '(.+)' but found '(.*)'");

    /** The message for {@code e}, thrown for the command line {@code words}. */
    static String describe(ParameterException e, List<String> words) {
        CommandLine command = e.getCommandLine();
        String problem = switch (e) {
            // Picocli checks required options before unknown ones; a typo in a required option
            // (--sample for --samples) is better reported as the typo.
            case MissingParameterException m when !command.getUnmatchedArguments().isEmpty() ->
                    unmatched(command, new UnmatchedArgumentException(command, command.getUnmatchedArguments()));
            case MissingParameterException m -> missing(m, words);
            case UnmatchedArgumentException u when !u.getUnmatched().isEmpty() -> unmatched(command, u);
            case UnmatchedArgumentException u -> optionInsteadOfValue(command, u);
            case OverwrittenOptionException o -> name(o.getOverwritten()) + ": given twice";
            case MaxValuesExceededException x -> switchWithValue(x);
            default -> e.getCause() instanceof TypeConversionException t && e.getArgSpec() != null
                    ? name(e.getArgSpec()) + ": " + t.getMessage()
                    : e.getMessage();
        };
        return problem + " (see " + command.getCommandSpec().qualifiedName() + " --help)";
    }

    private static String switchWithValue(MaxValuesExceededException e) {
        Matcher m = SWITCH_WITH_VALUE.matcher(e.getMessage());
        return m.matches() ? m.group(1) + ": takes no value but got '" + m.group(2) + "'" : e.getMessage();
    }

    private static String optionInsteadOfValue(CommandLine command, UnmatchedArgumentException e) {
        Matcher m = OPTION_INSTEAD_OF_VALUE.matcher(e.getMessage());
        OptionSpec option = m.matches() ? command.getCommandSpec().findOption(m.group(1)) : null;
        return option == null ? e.getMessage() : option.longestName() + ": expected a value (" + option.paramLabel()
                + ") but got '" + m.group(2) + "'";
    }

    private static String unmatched(CommandLine command, UnmatchedArgumentException u) {
        String word = u.getUnmatched().getFirst();
        boolean option = word.startsWith("-") && word.length() > 1;
        if (command.getParent() == null) {
            return (option ? "unknown option '" : "unknown command '") + word + "'; commands: "
                    + String.join(", ", command.getSubcommands().keySet());
        }
        if (!option) {
            return "unexpected argument '" + word + "'";
        }
        List<String> suggestions = u.getSuggestions();
        return "unknown option '" + word + "'" + (suggestions.isEmpty() ? ""
                : "; did you mean " + String.join(" or ", suggestions) + "?");
    }

    private static String missing(MissingParameterException m, List<String> words) {
        // An option that is there but missing its value: "--out" last, or followed by another option.
        for (ArgSpec arg : m.getMissing()) {
            if (arg instanceof OptionSpec o && words.contains(o.longestName())) {
                return o.longestName() + ": expected a value (" + o.paramLabel() + ")";
            }
        }
        return "missing " + String.join(", ", m.getMissing().stream().map(UsageErrors::label).toList());
    }

    /** {@code --samples N} or {@code MODEL}, as the synopsis shows it. */
    private static String label(ArgSpec arg) {
        return arg instanceof OptionSpec o ? o.longestName() + " " + o.paramLabel() : arg.paramLabel();
    }

    private static String name(ArgSpec arg) {
        return arg instanceof OptionSpec o ? o.longestName() : arg.paramLabel();
    }
}
