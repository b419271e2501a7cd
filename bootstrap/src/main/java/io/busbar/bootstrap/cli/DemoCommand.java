package io.busbar.bootstrap.cli;

import io.busbar.bootstrap.config.CompiledConfig;
import io.busbar.bootstrap.config.ConfigFile;
import io.busbar.bootstrap.demo.DemoFiles;
import io.busbar.bootstrap.demo.DemoServers;
import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo",
        header = "Tour Busbar on a simulated redundant OPC UA pair.",
        description = {"A self-contained tour: starts a simulated redundant SCADA pair (two OPC UA servers serving",
                "meters with energy counters and power values), writes a busbar.yaml for it into DIR, and runs Busbar",
                "on it with the embedded buffer. Readings go to DIR/readings.jsonl."})
public final class DemoCommand extends ConsoleCommand {

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "busbar-demo",
            description = "Directory for the config, the buffer journal and the readings (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port of health and metrics (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Mixin
    SimulatedPairOptions pair;

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
                err().println("A simulated server did not start: " + failure.getMessage());
                return null;
            });
            RunCommand.runUntilStopped(compiled, new DemoServers(primary, secondary), List.of("--server.port=" + httpPort));
        }
        return ExitCodes.OK;
    }

    private void printTour(SimulatedScadaServer primary, SimulatedScadaServer secondary, Path config) {
        PrintWriter tour = out();
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
