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
        long t = System.currentTimeMillis();
        JavaProcess primary = startJava("server-" + phase + "-primary", List.of("-Xms512m", "-Xmx1g"),
                "io.busbar.bench.LoadServer", "--name", "primary", "--port", Integer.toString(FreePorts.free()),
                "--tags", Integer.toString(tagCount), "--interval-ms", Long.toString(intervalMs));
        JavaProcess secondary = startJava("server-" + phase + "-secondary", List.of("-Xms512m", "-Xmx1g"),
                "io.busbar.bench.LoadServer", "--name", "secondary", "--port", Integer.toString(FreePorts.free()),
                "--tags", Integer.toString(tagCount), "--interval-ms", Long.toString(intervalMs));
        String p = primary.awaitLine("READY", Duration.ofSeconds(120)).split(" ")[1];
        String s = secondary.awaitLine("READY", Duration.ofSeconds(120)).split(" ")[1];
        report.progress(String.format("load servers up in %d ms: %d tags every %d ms = %,d values/s each (%s, %s)",
                System.currentTimeMillis() - t, tagCount, intervalMs, tagCount * 1000 / intervalMs, p, s));
        return new LoadServers(primary, secondary, p, s, tagCount, intervalMs);
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
