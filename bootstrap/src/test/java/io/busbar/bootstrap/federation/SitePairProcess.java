package io.busbar.bootstrap.federation;

import static org.awaitility.Awaitility.await;

import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A site's simulated redundant SCADA pair (primary and secondary, same meters) in a JVM of its
 * own, started under a launcher such as {@code ip netns exec NS}, so the pair lives in the site's
 * network and the site Busbar reaches it on its own loopback.
 */
final class SitePairProcess implements AutoCloseable {

    private static final String READY = "site pair listening";
    /** A JVM that starts two Milo servers on a loaded 2-core machine. */
    private static final Duration STARTUP = Duration.ofSeconds(120);

    private final Process process;
    private final int primaryPort;
    private final int secondaryPort;
    private final Path log;

    private SitePairProcess(Process process, int primaryPort, int secondaryPort, Path log) {
        this.process = process;
        this.primaryPort = primaryPort;
        this.secondaryPort = secondaryPort;
        this.log = log;
    }

    /** Starts the pair's JVM; {@link #awaitListening()} waits for its servers. */
    static SitePairProcess start(List<String> launcher, int primaryPort, int secondaryPort, int meters, Path log)
            throws IOException {
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                Child.class.getName(), String.valueOf(primaryPort), String.valueOf(secondaryPort), String.valueOf(meters)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new SitePairProcess(process, primaryPort, secondaryPort, log);
    }

    void awaitListening() {
        await().atMost(STARTUP).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the site's SCADA pair exited with " + process.exitValue() + "; see " + log);
            }
            return Files.readString(log, StandardCharsets.UTF_8).contains(READY);
        });
    }

    String primaryEndpoint() {
        return endpoint(primaryPort);
    }

    String secondaryEndpoint() {
        return endpoint(secondaryPort);
    }

    private static String endpoint(int port) {
        return "opc.tcp://" + SimulatedScadaServer.DEFAULT_HOSTNAME + ":" + port + SimulatedScadaServer.ENDPOINT_PATH;
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The child JVM: {@code primaryPort secondaryPort meters}; runs until killed. */
    static final class Child {

        public static void main(String[] args) throws InterruptedException {
            int meters = Integer.parseInt(args[2]);
            // pushed, not sampled: a sampled item on a loaded machine can skip a second (see ServerProcess)
            SimulatedScadaServer primary = SimulatedScadaServer.builder().applicationName("site primary")
                    .port(Integer.parseInt(args[0])).meterCount(meters).pushUpdates(true).build();
            SimulatedScadaServer secondary = SimulatedScadaServer.builder().applicationName("site secondary")
                    .port(Integer.parseInt(args[1])).meterCount(meters).pushUpdates(true).build();
            primary.start();
            secondary.start();
            System.out.println(READY + ": " + primary.endpointUrl() + " " + secondary.endpointUrl());
            new CountDownLatch(1).await();
        }
    }
}
