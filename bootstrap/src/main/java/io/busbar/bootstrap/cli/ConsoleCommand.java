package io.busbar.bootstrap.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that writes to picocli's streams rather than {@code System.out}, so tests (and
 * {@code busbar} embedded in another program) capture what it prints. Every command has
 * {@code --help} and {@code --version} and ends its help with the exit codes: picocli merges this
 * {@code @Command} into each subclass's own.
 */
@Command(mixinStandardHelpOptions = true, footer = ExitCodes.HELP)
abstract class ConsoleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Where results go. */
    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Where problems go. */
    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
