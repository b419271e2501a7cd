package io.busbar.bootstrap.cli;

import io.busbar.bootstrap.config.CompiledConfig;
import io.busbar.bootstrap.config.ConfigFile;
import io.busbar.bootstrap.demo.DemoFiles;
import io.busbar.bootstrap.demo.DemoServers;
import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        header = "Tour Busbar on a simulated redundant OPC UA pair.",
        description = {"A self-contained tour: starts a simulated redundant SCADA pair (two OPC UA servers serving",
                "meters with energy counters and power values), writes a busbar.yaml for it into DIR, and runs Busbar",
                "on it with the embedded buffer. Readings go to DIR/readings.jsonl."},
        footer = ExitCodes.HELP)
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "busbar-demo",
            description = "Directory for the config, the buffer journal and the readings (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port of health and metrics (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Mixin
    SimulatedPairOptions pair;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (SimulatedScadaServer primary = pair.primary("Busbar demo primary");
             SimulatedScadaServer secondary = pair.secondary("Busbar demo secondary")) {
            // the servers come up while Busbar starts; its sources retry until they answer
            CompletableFuture<Void> serversUp = CompletableFuture.allOf(
                    CompletableFuture.runAsync(primary::start), CompletableFuture.runAsync(secondary::start));
            Path config = DemoFiles.write(out, primary.endpointUrl(), secondary.endpointUrl(), pair.meters);
            CompiledConfig compiled = ConfigFile.load(config);
            printTour(primary, secondary, config);
            serversUp.exceptionally(failure -> {
                spec.commandLine().getErr().println("A simulated server did not start: " + failure.getMessage());
                return null;
            });
            RunCommand.runUntilStopped(compiled, new DemoServers(primary, secondary), List.of("--server.port=" + httpPort));
        }
        return ExitCodes.OK;
    }

    private void printTour(SimulatedScadaServer primary, SimulatedScadaServer secondary, Path config) {
        PrintWriter tour = spec.commandLine().getOut();
        String base = "http://localhost:" + httpPort;
        tour.printf("%nBusbar demo%n");
        tour.printf("  simulated primary    %s (%d meters)%n", primary.endpointUrl(), pair.meters);
        tour.printf("  simulated secondary  %s%n", secondary.endpointUrl());
        tour.printf("  configuration        %s%n", config);
        tour.printf("  readings             %s%n", out.resolve(DemoFiles.READINGS));
        tour.printf("  buffer journal       %s%n", out.resolve("data"));
        tour.printf("  status page          %s/%n", base);
        tour.printf("  health               %s/actuator/health%n", base);
        tour.printf("  metrics              %s/actuator/prometheus%n", base);
        tour.printf("Stop with Ctrl-C.%n%n");
        tour.flush();
    }
}
