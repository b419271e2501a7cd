package io.busbar.bench;

import io.busbar.support.FreePorts;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Starts the bench's Java processes on the bench classpath and stops (or kills) every one it started. */
final class ProcessLauncher {

    private final String classpath;
    private final Path logs;
    private final Path out;
    private final Report report;
    private final List<JavaProcess> started = new CopyOnWriteArrayList<>();

    ProcessLauncher(BenchSettings settings, Report report) {
        this.classpath = settings.classpath;
        this.logs = settings.logs;
        this.out = settings.out;
        this.report = report;
    }

    JavaProcess startJava(String name, List<String> jvm, String main, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(JavaProcess.javaBinary());
        command.addAll(jvm);
        command.add("-cp");
        command.add(classpath);
        command.add(main);
        command.addAll(List.of(args));
        return track(JavaProcess.start(name, command, logs, out));
    }

    /** Stops (or kills, if the JVM exits first) {@code process} with the others at the end. */
    JavaProcess track(JavaProcess process) {
        started.add(process);
        return process;
    }

    List<JavaProcess> started() {
        return started;
    }

    LoadServers startServers(String phase, int tagCount, long intervalMs) throws Exception {
        return startServerPairs(phase, 1, tagCount, intervalMs).get(0);
    }

    /**
     * Starts {@code pairs} primary/secondary pairs of load servers, each publishing {@code tagsPerPair}
     * tags, all at once (a server of 50,000 tags takes a while to build its address space), and returns
     * when every one accepts connections. The first pair's processes are named as a single pair's were.
     */
    List<LoadServers> startServerPairs(String phase, int pairs, int tagsPerPair, long intervalMs) throws Exception {
        long t = System.currentTimeMillis();
        List<JavaProcess[]> processes = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            String prefix = "server-" + phase + (i == 0 ? "" : "-pair" + (i + 1)) + "-";
            processes.add(new JavaProcess[] {startServer(prefix + "primary", "primary", tagsPerPair, intervalMs),
                    startServer(prefix + "secondary", "secondary", tagsPerPair, intervalMs)});
        }
        List<LoadServers> result = new ArrayList<>();
        for (JavaProcess[] pair : processes) {
            String p = endpoint(pair[0]);
            String s = endpoint(pair[1]);
            result.add(new LoadServers(pair[0], pair[1], p, s, tagsPerPair, intervalMs));
        }
        report.progress(String.format("load servers up in %d ms: %d pair(s) of %d tags every %d ms = %,d values/s each (%s)",
                System.currentTimeMillis() - t, pairs, tagsPerPair, intervalMs, tagsPerPair * 1000 / intervalMs,
                result.stream().map(r -> r.primaryEndpoint() + ", " + r.secondaryEndpoint()).toList()));
        return result;
    }

    /**
     * The endpoint of a load server's {@code READY <endpoint> tags=...} line. The driver reads the log
     * while the server writes it, so it may see the line cut short: the endpoint counts once a space
     * follows it.
     */
    private static String endpoint(JavaProcess server) throws Exception {
        long deadline = System.currentTimeMillis() + SERVER_START_TIMEOUT.toMillis();
        while (true) {
            String[] parts = server.awaitLine("READY", SERVER_START_TIMEOUT).split(" ");
            if (parts.length > 2) {
                return parts[1];
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(server.name + " printed no complete READY line; see " + server.stdout);
            }
            Thread.sleep(100);
        }
    }

    /** Building the address space of 50,000 tags on a loaded machine takes more than a minute. */
    private static final Duration SERVER_START_TIMEOUT = Duration.ofSeconds(300);

    private JavaProcess startServer(String processName, String serverName, int tagCount, long intervalMs) throws IOException {
        return startJava(processName, List.of("-Xms512m", "-Xmx1g"), "io.busbar.bench.LoadServer", "--name", serverName,
                "--port", Integer.toString(FreePorts.free()), "--tags", Integer.toString(tagCount),
                "--interval-ms", Long.toString(intervalMs));
    }

    static void stopServers(LoadServers servers) throws InterruptedException {
        servers.primary().stop(Duration.ofSeconds(5));
        servers.secondary().stop(Duration.ofSeconds(5));
    }

    void stopAll() {
        for (JavaProcess p : started) {
            try {
                p.stop(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** From the shutdown hook: kill -9 whatever is still alive. */
    void killAll() {
        for (JavaProcess p : started) {
            if (p.isAlive()) {
                p.process.destroyForcibly();
            }
        }
    }
}
