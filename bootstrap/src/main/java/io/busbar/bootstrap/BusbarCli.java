package io.busbar.bootstrap;

import io.busbar.bootstrap.cli.AccountingCommand;
import io.busbar.bootstrap.cli.DemoCommand;
import io.busbar.bootstrap.cli.DiscoverCommand;
import io.busbar.bootstrap.cli.DlqCommand;
import io.busbar.bootstrap.cli.ExitCodes;
import io.busbar.bootstrap.cli.PkiCommand;
import io.busbar.bootstrap.cli.RunCommand;
import io.busbar.bootstrap.cli.SchemaCommand;
import io.busbar.bootstrap.cli.SimulateCommand;
import io.busbar.bootstrap.cli.ValidateCommand;
import io.busbar.bootstrap.launch.NettyPools;
import io.busbar.bootstrap.launch.PlainJarLaunch;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code busbar}: the command line entry point of the executable jar. */
@Command(name = "busbar", mixinStandardHelpOptions = true, versionProvider = BusbarCli.Version.class,
        description = "Streams meter readings from a redundant OPC UA server pair to targets, with guaranteed delivery.",
        subcommands = {RunCommand.class, ValidateCommand.class, DemoCommand.class, DiscoverCommand.class, SimulateCommand.class, DlqCommand.class, PkiCommand.class,
                SchemaCommand.class, AccountingCommand.class,
                CommandLine.HelpCommand.class},
        footer = ExitCodes.HELP)
public final class BusbarCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) throws Throwable {
        NettyPools.apply(System.getProperties()); // before any Netty class: it reads the chunk size once
        if (PlainJarLaunch.relaunched(BusbarCli.class, args)) {
            return;
        }
        System.exit(execute(args));
    }

    /** Runs a command and returns its exit code; usage errors give {@link ExitCodes#INVALID}. */
    public static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs a command writing to the given streams (tests read them). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        return new CommandLine(new BusbarCli())
                .setOut(out)
                .setErr(err)
                .setExitCodeExceptionMapper(e -> ExitCodes.RUNTIME_FAILURE)
                .setParameterExceptionHandler((e, a) -> {
                    e.getCommandLine().getErr().println(e.getMessage());
                    e.getCommandLine().usage(e.getCommandLine().getErr());
                    return ExitCodes.INVALID;
                })
                .execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = BusbarCli.class.getPackage().getImplementationVersion();
            return new String[] {"busbar " + (version == null ? "development build" : version)};
        }
    }
}
