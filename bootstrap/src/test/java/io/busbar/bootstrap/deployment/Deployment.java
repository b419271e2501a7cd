package io.busbar.bootstrap.deployment;

import io.busbar.bootstrap.support.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test's deployment: a simulated server pair and Busbar instances, each in its own JVM as in
 * production, and the idempotent SQL table they share (an H2 server in the test's JVM). Register
 * it with {@code @RegisterExtension}. After each test everything is stopped; when the test failed each instance's health and the
 * table's rows are saved beside the logs, configs and buffers, the directory is kept, and the tail
 * of every process's log is printed.
 */
final class Deployment implements BeforeEachCallback, AfterEachCallback {

    private static final int LOG_TAIL_LINES = 80;

    private final int meters;
    private Path dir;
    private Instant historyStart;
    private SharedTable table;
    private final Map<String, ServerProcess> servers = new LinkedHashMap<>();
    private final Map<String, BusbarProcess> instances = new LinkedHashMap<>();
    private final Map<String, Path> configs = new LinkedHashMap<>();

    Deployment(int meters) {
        this.meters = meters;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory(context.getRequiredTestClass().getSimpleName());
        historyStart = Instant.now();
        table = new SharedTable();
        // both at once: each is a JVM start
        int primaryPort = FreePorts.next();
        int secondaryPort = FreePorts.next();
        var primary = CompletableFuture.supplyAsync(() -> startServer("primary", primaryPort));
        var secondary = CompletableFuture.supplyAsync(() -> startServer("secondary", secondaryPort));
        servers.put("primary", primary.join());
        servers.put("secondary", secondary.join());
    }

    SharedTable table() {
        return table;
    }

    ServerProcess primary() {
        return servers.get("primary");
    }

    ServerProcess secondary() {
        return servers.get("secondary");
    }

    /** Starts a killed server again on its port; returns once it accepts connections. */
    ServerProcess restartServer(ServerProcess killed) {
        ServerProcess server = startServer(killed.name(), killed.port());
        servers.put(killed.name(), server);
        return server;
    }

    private ServerProcess startServer(String name, int port) {
        try {
            return ServerProcess.start(name, port, meters, historyStart, dir.resolve(name + "-server.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a Busbar instance with its own directory and config; {@code deployment} is its deployment section. */
    BusbarProcess start(String name, String deployment) throws IOException {
        Path config = DeploymentFiles.write(dir.resolve(name), primary().endpointUrl(), secondary().endpointUrl(), meters,
                table.url(), deployment);
        configs.put(name, config);
        return launch(name);
    }

    /** SIGKILL to an instance, then the same instance (config, buffer, watermarks) started again. */
    BusbarProcess restart(BusbarProcess instance) throws IOException, InterruptedException {
        instance.kill();
        return startAgain(instance);
    }

    /** A stopped or killed instance started again with its config, buffer and watermarks. */
    BusbarProcess startAgain(BusbarProcess stopped) throws IOException {
        return launch(stopped.name());
    }

    private BusbarProcess launch(String name) throws IOException {
        BusbarProcess instance = BusbarProcess.start(name, configs.get(name), log(name));
        instances.put(name, instance);
        return instance;
    }

    private Path log(String instance) {
        return dir.resolve(instance + ".log");
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        boolean failed = context.getExecutionException().isPresent();
        if (failed) {
            keepEvidence(); // while the instances and the table are still there
        }
        for (BusbarProcess instance : instances.values()) {
            instance.close();
        }
        for (ServerProcess server : servers.values()) {
            server.close();
        }
        if (table != null) {
            table.close();
        }
        if (failed) {
            printLogTails();
        } else {
            delete();
        }
    }

    /** Each instance's health and the table's rows, into the kept directory. */
    private void keepEvidence() {
        try {
            for (BusbarProcess instance : instances.values()) {
                Files.writeString(dir.resolve(instance.name() + "-health.json"), "{\"redundancy\": "
                        + instance.health("redundancy") + ",\n\"connector\": " + instance.connector() + "}\n");
            }
            if (table != null) {
                List<String> lines = table.rows().stream()
                        .sorted(Comparator.comparing(SharedTable.Row::series).thenComparing(SharedTable.Row::second))
                        .map(row -> String.join(",", row.series(), Instant.ofEpochSecond(row.second()).toString(),
                                row.server(), row.key()))
                        .toList();
                Files.write(dir.resolve("readings.csv"), lines);
            }
        } catch (IOException | RuntimeException e) {
            System.out.println("Cannot keep the health and the table: " + e);
        }
    }

    private void printLogTails() {
        System.out.println("Failed; the deployment's logs, health, table (readings.csv), configs and buffers are kept in "
                + dir);
        try (Stream<Path> logs = Files.list(dir)) {
            for (Path log : logs.filter(path -> path.toString().endsWith(".log")).sorted().toList()) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                System.out.printf("---- the last %d lines of %s ----%n", LOG_TAIL_LINES, log.getFileName());
                lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()).forEach(System.out::println);
            }
        } catch (IOException e) {
            System.out.println("Cannot read the logs: " + e);
        }
    }

    private void delete() {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            System.out.println("Cannot delete " + dir + ": " + e);
        }
    }
}
