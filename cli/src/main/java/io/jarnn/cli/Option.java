package io.jarnn.cli;

/**
 * One {@code --flag} of a command: {@code valueName} names its value in the help ({@code N},
 * {@code FILE.npy}); a switch such as {@code --log-prob} has none.
 */
record Option(String name, String valueName, String help) {
    static Option value(String name, String valueName, String help) {
        return new Option(name, valueName, help);
    }

    static Option flag(String name, String help) {
        return new Option(name, null, help);
    }

    boolean takesValue() {
        return valueName != null;
    }
}
