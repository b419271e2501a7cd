package io.busbar.bootstrap.cli;

import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "simulate",
        header = "Run only the simulated redundant OPC UA pair until stopped.",
        description = {"Run only the simulated redundant SCADA pair (two OPC UA servers with identical meters, history",
                "and ServiceLevel) until stopped — to point a separately running Busbar at, e.g. for crash tests."})
public final class SimulateCommand extends ConsoleCommand {

    @Mixin
    SimulatedPairOptions pair;

    @Override
    public Integer call() throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        try (SimulatedScadaServer primary = pair.primary("Busbar simulated primary");
             SimulatedScadaServer secondary = pair.secondary("Busbar simulated secondary")) {
            primary.start();
            secondary.start();
            PrintWriter out = out();
            out.printf("simulated primary   %s%nsimulated secondary %s%n%d meters; stop with Ctrl-C%n",
                    primary.endpointUrl(), secondary.endpointUrl(), pair.meters);
            out.flush();
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
            stopped.await();
        }
        return ExitCodes.OK;
    }

}
