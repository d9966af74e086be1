package io.jarnn.cli;

import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Help.Ansi.IStyle;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Help.IParamLabelRenderer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How {@code --help} reads for every command: {@code usage:} first, options in the order the
 * command declares them, no colours, and {@code --samples N} rather than picocli's
 * {@code --samples=N} (both are accepted on the command line).
 */
final class HelpLayout {
    /** Wide enough for the longest option label, {@code --log-prob-out FILE.npy}. */
    private static final int OPTION_COLUMN = 28;
    private static final int WIDTH = 100;

    private HelpLayout() {
    }

    /** Applies the layout to {@code jarnn} and its subcommands, which must all have been added. */
    static void apply(CommandLine jarnn) {
        List<CommandLine> all = new ArrayList<>(List.of(jarnn));
        all.addAll(jarnn.getSubcommands().values());
        for (CommandLine command : all) {
            UsageMessageSpec help = command.getCommandSpec().usageMessage();
            help.synopsisHeading("usage: ").descriptionHeading("%n").parameterListHeading("%narguments:%n")
                    .optionListHeading("%noptions:%n").commandListHeading("%ncommands:%n")
                    .sortOptions(false).sortSynopsis(false).longOptionsMaxWidth(OPTION_COLUMN);
        }
        jarnn.getCommandSpec().usageMessage().header(JarnnCommand.header()).synopsisHeading("%nusage: ")
                .descriptionHeading("").footerHeading("%n");
        jarnn.setUsageHelpWidth(WIDTH)
                .setColorScheme(Help.defaultColorScheme(Ansi.OFF))
                .setHelpFactory((spec, colors) -> new Help(spec, colors) {
                    @Override
                    public IParamLabelRenderer parameterLabelRenderer() {
                        return new SpacedLabels(super.parameterLabelRenderer());
                    }

                    @Override
                    public String detailedSynopsis(int headingLength, Comparator<OptionSpec> order,
                                                   boolean clusterBooleans) {
                        return HelpLayout.synopsis(commandSpec(), parameterLabelRenderer(), headingLength);
                    }
                });
    }

    /**
     * {@code jarnn sample MODEL --samples N --out FILE.npy [--seed S] ...}: the arguments, the
     * required options, then the others in declaration order, wrapped at spaces only (picocli's
     * own synopsis breaks {@code FILE.npy} at the dot). {@code --help} and {@code --debug}, which
     * every command has, are left to the option list.
     */
    private static String synopsis(CommandSpec command, IParamLabelRenderer labels, int headingLength) {
        List<String> words = new ArrayList<>();
        for (PositionalParamSpec p : command.positionalParameters()) {
            words.add(p.arity().min() > 0 ? p.paramLabel() : "[" + p.paramLabel() + "]");
        }
        for (OptionSpec o : command.options()) {
            if (o.required()) {
                words.add(label(o, labels));
            }
        }
        for (OptionSpec o : command.options()) {
            if (!o.required() && !o.usageHelp() && !o.versionHelp() && !o.longestName().equals("--debug")) {
                words.add("[" + label(o, labels) + "]");
            }
        }
        String indent = " ".repeat(headingLength + command.qualifiedName().length() + 1);
        StringBuilder text = new StringBuilder(command.qualifiedName());
        int column = headingLength + text.length();
        for (String word : words) {
            if (column + 1 + word.length() > WIDTH) {
                text.append(System.lineSeparator()).append(indent).append(word);
                column = indent.length() + word.length();
            } else {
                text.append(' ').append(word);
                column += 1 + word.length();
            }
        }
        return text.append(System.lineSeparator()).toString();
    }

    private static String label(OptionSpec option, IParamLabelRenderer labels) {
        return option.longestName() + labels.renderParameterLabel(option, Ansi.OFF, List.of()).plainString();
    }

    /** Picocli's labels with a space where it puts {@code =}. */
    private record SpacedLabels(IParamLabelRenderer picocli) implements IParamLabelRenderer {
        @Override
        public Text renderParameterLabel(ArgSpec arg, Ansi ansi, List<IStyle> styles) {
            Text label = picocli.renderParameterLabel(arg, ansi, styles);
            String text = label.plainString();
            return arg.isOption() && text.startsWith("=") ? ansi.new Text(" " + text.substring(1)) : label;
        }

        @Override
        public String separator() {
            return " ";
        }
    }
}
