package io.busbar.interop;

import io.busbar.mappings.model.ServerRole;
import io.busbar.support.FreePorts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node-opcua meter server ({@code src/test/node/meter-server.js}) running as a child process on
 * a free loopback port. Its values are {@link #energy} and {@link #power} of each whole second, so
 * two servers agree value for value and a test computes what it expects.
 *
 * <p>Control goes through the script's stdin ({@link #setServiceLevel}, {@link #freeze}, ...), each
 * command waiting for the script's "ok". {@link #kill()} is kill -9; {@link #close()} closes stdin,
 * on which the script shuts down, and kills it if it does not.
 */
final class NodeMeterServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeMeterServer.class);
    private static final String HOST = "127.0.0.1";
    /** node-opcua loads the standard nodeset and makes its certificate first: seconds on a busy machine. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern READY = Pattern.compile("ready port=(\\d+) ns=(\\d+) endpoint=(\\S+)");

    private final String name;
    private final Process process;
    private final OutputStream commands;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final List<String> output = new ArrayList<>();
    private final int namespaceIndex;
    private final String endpointUrl;

    private NodeMeterServer(String name, Process process) {
        this.name = name;
        this.process = process;
        this.commands = process.getOutputStream();
        Thread reader = new Thread(this::readOutput, "node-meter-server-" + name);
        reader.setDaemon(true);
        reader.start();
        Matcher ready = awaitReady();
        this.namespaceIndex = Integer.parseInt(ready.group(2));
        this.endpointUrl = ready.group(3);
    }

    /**
     * Starts a server and returns once it listens.
     *
     * @param historizePower whether the power nodes keep history too (the energy nodes always do)
     * @throws IllegalStateException if it exits or does not become ready in time, with its output
     */
    static NodeMeterServer start(NodeInstall.Installed install, ServerRole role, int meters, boolean historizePower) {
        String name = role.wireName();
        int port = FreePorts.freeOn(HOST);
        List<String> command = new ArrayList<>(List.of(install.node(), install.script().toString(),
                "--port", Integer.toString(port),
                "--name", "node-opcua " + name,
                "--role", name,
                "--meters", Integer.toString(meters),
                "--host", HOST,
                "--pki", install.script().resolveSibling("pki-" + name + "-" + port).toString()));
        if (historizePower) {
            command.add("--historize-power");
        }
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            return new NodeMeterServer(name, process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** The raw energy register of a meter at a whole second, as every server publishes it. */
    static long energy(int meter, long epochSecond) {
        return meter * 1000L + epochSecond;
    }

    /** The instantaneous power of a meter at a whole second, as every server publishes it. */
    static long power(int meter, long epochSecond) {
        return Math.floorMod(meter * 7L + epochSecond, 100L);
    }

    /** {@code Meter001} for meter 1, as the script names its meters. */
    static String meterId(int meter) {
        return String.format(Locale.ROOT, "Meter%03d", meter);
    }

    String energyNodeId(int meter) {
        return "ns=" + namespaceIndex + ";s=" + meterId(meter) + ".Energy";
    }

    String powerNodeId(int meter) {
        return "ns=" + namespaceIndex + ";s=" + meterId(meter) + ".Power";
    }

    String endpointUrl() {
        return endpointUrl;
    }

    void setServiceLevel(int level) {
        command("service-level " + level);
    }

    void freeze() {
        command("freeze");
    }

    void unfreeze() {
        command("unfreeze");
    }

    /** Removes a meter's object with both its variables, as a server that deletes nodes at runtime. */
    void deleteMeter(int meter) {
        command("delete-meter " + meter);
    }

    /** A meter that comes online: its object and variables from now on, with history from now only. */
    void addMeter(int meter) {
        command("add-meter " + meter);
    }

    /**
     * The meter's next second is set late: it enters the history of the meter's historized
     * variables, while their value goes from the second before straight to the one after, so no
     * subscription sees it — a late update, as a SCADA server whose field poll stalled makes.
     */
    void setLate(int meter) {
        command("set-late " + meter);
    }

    /** The publishing interval in ms of each subscription with monitored items, over all sessions. */
    List<Double> publishingIntervals() {
        String answer = query("publishing-intervals");
        return answer.isEmpty() ? List.of() : Arrays.stream(answer.split(",")).map(Double::valueOf).toList();
    }

    /**
     * From now on CreateSubscription creates the subscription at once and answers after {@code
     * late} ({@link Duration#ZERO}: at once again): a client that gave up meanwhile never learns its id.
     */
    void answerCreationsLate(Duration late) {
        command("answer-creations-late " + late.toMillis());
    }

    /** The most subscriptions one session holds: what counts against the server's per-session quota. */
    int mostSubscriptionsInOneSession() {
        return Integer.parseInt(query("most-subscriptions-in-one-session"));
    }

    /** kill -9: no shutdown, the TCP connections just die. */
    void kill() {
        process.destroyForcibly();
        waitForExit();
        LOG.info("node-opcua {} killed", name);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                commands.close(); // the script shuts down when its stdin ends
            } catch (IOException e) {
                LOG.debug("node-opcua {}: stdin already closed", name, e);
            }
            if (!waitForExit()) {
                process.destroyForcibly();
                waitForExit();
            }
        }
    }

    private void command(String line) {
        String answer = query(line);
        if (!answer.isEmpty()) {
            throw new IllegalStateException("node-opcua " + name + " answered '" + line + "' with " + answer);
        }
    }

    /** Sends a command and returns what the script answered after "ok <command>", without the separating space. */
    private String query(String line) {
        try {
            replies.clear();
            commands.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            commands.flush();
            String reply = replies.poll(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            String ok = "ok " + line;
            if (reply == null || !(reply.equals(ok) || reply.startsWith(ok + " "))) {
                throw new IllegalStateException("node-opcua " + name + " answered '" + line + "' with " + reply);
            }
            return reply.substring(Math.min(reply.length(), ok.length() + 1));
        } catch (IOException e) {
            throw new UncheckedIOException("node-opcua " + name + " does not take commands", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private Matcher awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                String line = replies.poll(200, TimeUnit.MILLISECONDS);
                if (line != null) {
                    Matcher ready = READY.matcher(line);
                    if (ready.matches()) {
                        LOG.info("node-opcua {} ready at {}", name, ready.group(3));
                        return ready;
                    }
                } else if (!process.isAlive()) {
                    throw new IllegalStateException("node-opcua " + name + " exited with " + process.exitValue()
                            + " before it was ready: " + output());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        throw new IllegalStateException("node-opcua " + name + " not ready within " + READY_TIMEOUT + ": " + output());
    }

    /** Logs everything the script prints; the protocol lines (ready, ok, error) also go to the replies. */
    private void readOutput() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                LOG.info("[node-opcua {}] {}", name, line);
                synchronized (output) {
                    output.add(line);
                }
                if (line.startsWith("ready ") || line.startsWith("ok ") || line.startsWith("error ")) {
                    replies.add(line);
                }
            }
        } catch (IOException e) {
            LOG.debug("node-opcua {}: output closed", name, e);
        }
    }

    private String output() {
        synchronized (output) {
            return String.join(" | ", output);
        }
    }

    private boolean waitForExit() {
        try {
            return process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
