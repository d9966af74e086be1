package io.jarnn.cli;

/** Entry point of the {@code jarnn} command line. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 0 || args[0].equals("demo")) {
            Demo.run(System.out);
            return;
        }
        System.err.println("jarnn: unknown command '" + args[0] + "'; try: jarnn demo");
        System.exit(2);
    }
}
