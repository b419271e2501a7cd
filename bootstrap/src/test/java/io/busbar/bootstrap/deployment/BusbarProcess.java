package io.busbar.bootstrap.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.bootstrap.BusbarCli;
import io.busbar.bootstrap.support.FreePorts;
import io.busbar.bootstrap.support.Http;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One Busbar instance in its own JVM, as it runs in production: {@code busbar run --config ...}. */
public final class BusbarProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Http http;
    private final int port;

    private BusbarProcess(String name, Process process, int port) {
        this.name = name;
        this.process = process;
        this.http = new Http(port);
        this.port = port;
    }

    public static BusbarProcess start(String name, Path config, Path log) throws IOException {
        return start(name, config, log, List.of());
    }

    /**
     * @param launcher a command the JVM runs under, e.g. {@code ip netns exec NS} (it must exec the
     *                 JVM, so that {@link #pid()} is the JVM's); Spring options for the instance follow
     *                 the config's as {@code extraArgs}
     */
    public static BusbarProcess start(String name, Path config, Path log, List<String> launcher, String... extraArgs)
            throws IOException {
        int port = FreePorts.next();
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                // start fast on a small shared machine: C1 only, one GC thread
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), BusbarCli.class.getName(),
                "run", "--config", config.toString(), "--server.port=" + port));
        command.addAll(List.of(extraArgs));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new BusbarProcess(name, process, port);
    }

    String name() {
        return name;
    }

    public int httpPort() {
        return port;
    }

    /** The JVM's process id, e.g. to list the ports it listens on. */
    public long pid() {
        return process.pid();
    }

    /** This instance's role for a pair in {@code /actuator/health/connector}; "unreachable" while it starts. */
    String role(String pair) {
        return connector().at("/details/pairs/" + pair + "/role").asText("unreachable");
    }

    /** A pair in {@code /actuator/health/redundancy}: its servers, last backfill and completeness. */
    JsonNode pair(String pair) {
        return health("redundancy").at("/details/pairs/" + pair);
    }

    /** What this instance's health says it could not fill for a pair: unfilled seconds and the latest holes. */
    JsonNode completeness(String pair) {
        return pair(pair).path("completeness");
    }

    JsonNode connector() {
        return health("connector");
    }

    /** A health group, e.g. {@code redundancy}; a missing node while the instance is not reachable. */
    public JsonNode health(String group) {
        try {
            return http.getJson("/actuator/health/" + group);
        } catch (RuntimeException e) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }

    /** SIGKILL: no shutdown hook runs, the lock is released only because the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
