package io.busbar.bootstrap.cli;

/** Process exit codes of every busbar command (also listed in each command's --help). */
public final class ExitCodes {

    /** Success. */
    public static final int OK = 0;
    /** Busbar could not run: a runtime failure such as a port in use or an unwritable directory. */
    public static final int RUNTIME_FAILURE = 1;
    /** The configuration, a mapping file or the command line is invalid; every problem was printed. */
    public static final int INVALID = 2;

    public static final String HELP = "%nExit codes:%n  0  success%n  1  runtime failure%n"
            + "  2  invalid configuration, mapping file or command line (every problem is printed as file:line:column: path: message)";

    private ExitCodes() {
    }
}
