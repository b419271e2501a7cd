package io.busbar.connectors.modbus;

import com.digitalpetri.modbus.client.ModbusTcpClient;
import com.digitalpetri.modbus.pdu.ReadHoldingRegistersRequest;
import com.digitalpetri.modbus.pdu.ReadInputRegistersRequest;
import com.digitalpetri.modbus.tcp.client.NettyTcpClientTransport;
import io.busbar.connectors.opcua.SampleListener;
import io.busbar.connectors.poll.PollCycle;
import io.busbar.mappings.model.ModbusAddress;
import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.ServerRole;
import io.busbar.support.DaemonThreads;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the registers of the meters behind one Modbus TCP gateway, cycle by cycle ({@link PollCycle}),
 * with digitalpetri's Modbus client.
 *
 * <h2>Source time</h2>
 *
 * Modbus carries no timestamps, so a value's source time is its poll's cycle slot: the start of the
 * slot the poll started in ({@link #slotFor}; a value read late in its slot still carries the slot's
 * start). Both gateways of a pair poll the same
 * slots, so the same meter read through either gets the same reading key, and the pair's forward-once
 * gate passes it once. The moment the answer arrived is the server time.
 *
 * <h2>Connection lost</h2>
 *
 * A read without an answer within the timeout is tried again after the wait, up to the retries; when
 * every read of a cycle failed, the gateway is "connection lost" ({@link #connected()} false) until a
 * cycle gets an answer again. A unit that answers with a Modbus exception or does not answer while
 * others do costs only its own values for that cycle ({@link #failedReads()} counts them).
 *
 * <p>Lifecycle: {@link #poll} any time before {@link #start()}, then {@link #stop()} once. The
 * listener is called on the gateway's own thread, once per cycle with all values read.
 */
public final class ModbusGateway implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModbusGateway.class);
    /** The client times a request out itself after the poll timeout; this only guards against a lost callback. */
    private static final long REQUEST_SLACK_MS = 1_000;
    /** Blocks in a row without an answer after which the rest of the cycle is given up. */
    static final int SILENT_BLOCKS_TO_GIVE_UP = 2;
    /** How early a timer may fire and its poll still count for the slot it was set for. */
    static final Duration EARLY_WAKE = Duration.ofMillis(50);

    /** A meter unanswered for this many cycles in a row is silent ({@link #silentNodes()}); one missed cycle is not news. */
    public static final int SILENT_AFTER_CYCLES = 3;

    private final ServerRole role;
    private final ModbusGatewayOptions options;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final AtomicLong failedCycles = new AtomicLong();
    private final AtomicLong failedReads = new AtomicLong();
    private final AtomicLong cycles = new AtomicLong();
    private final AtomicLong overruns = new AtomicLong();
    private volatile List<ModbusBlock> blocks = List.of();
    private volatile SampleListener listener = (role, batch) -> { };
    private volatile boolean connected;
    private volatile boolean stopped;
    private ModbusTcpClient client;
    private volatile String lastProblem;
    /** Per mapped node, the slot of its last answered read; for {@link #silentNodes()}. */
    private final Map<String, Instant> answeredAt = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Instant startedAt;

    public ModbusGateway(ServerRole role, ModbusGatewayOptions options, Clock clock) {
        this.role = role;
        this.options = options;
        this.clock = clock;
        this.executor = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("busbar-modbus-" + role.wireName()));
    }

    public ServerRole role() {
        return role;
    }

    /** The values to read each cycle; node ids that are not Modbus addresses are ignored. */
    public void poll(List<String> nodeIds, SampleListener listener) {
        Map<String, ModbusAddress> addresses = new LinkedHashMap<>();
        for (String node : nodeIds) {
            ModbusAddress.parse(node).ifPresentOrElse(address -> addresses.put(node, address),
                    () -> log.warn("Modbus gateway {}: '{}' is not a Modbus address; not polled", options.endpointUrl(), node));
        }
        this.blocks = ModbusBlock.plan(addresses);
        this.listener = listener;
    }

    public void start() {
        startedAt = clock.instant();
        NettyTcpClientTransport transport = NettyTcpClientTransport.create(config -> {
            config.hostname = options.host();
            config.port = options.port();
            config.connectTimeout = options.connectTimeout();
            config.connectPersistent = false; // each cycle connects again if it has to: a cut is seen at once
        });
        client = ModbusTcpClient.create(transport, config -> config.requestTimeout = options.poll().timeout());
        scheduleNext(null);
    }

    /** Whether the last cycle got an answer: false is "connection lost" for the pair. */
    public boolean connected() {
        return connected;
    }

    /** Why the gateway is "connection lost" (the last cycle's tries all went unanswered); empty while it answers. */
    public java.util.Optional<String> connectionLost() {
        String problem = lastProblem;
        return connected || problem == null ? java.util.Optional.empty()
                : java.util.Optional.of("connection lost — no answer after " + (options.poll().retries() + 1) + " tries: "
                        + problem);
    }

    /**
     * The meters that stopped answering behind a gateway that answers: each mapped node whose unit
     * has had no answered read for {@value #SILENT_AFTER_CYCLES} cycles, with the slot of its last
     * answer (or the start). Empty while the gateway itself is "connection lost": that says it all.
     */
    public Map<String, Instant> silentNodes() {
        Instant started = startedAt;
        if (!connected || started == null) {
            return Map.of();
        }
        Instant deadline = clock.instant().minus(options.poll().cycle().multipliedBy(SILENT_AFTER_CYCLES));
        Map<String, Instant> silent = new LinkedHashMap<>();
        for (ModbusBlock block : blocks) {
            for (String node : block.values().keySet()) {
                Instant since = answeredAt.getOrDefault(node, started);
                if (since.isBefore(deadline)) {
                    silent.put(node, since);
                }
            }
        }
        return silent;
    }

    /** Cycles in which no read was answered, since the start. */
    public long failedCycles() {
        return failedCycles.get();
    }

    /** Reads (of one block of registers) that failed after all their tries, since the start. */
    public long failedReads() {
        return failedReads.get();
    }

    /** Cycles that took so long that the next slot was polled late or skipped, since the start. */
    public long overruns() {
        return overruns.get();
    }

    /** Cycles polled since the start. */
    public long cycles() {
        return cycles.get();
    }

    /**
     * The cycle slot a poll starting at {@code at} stands for: the one it starts in, allowing for a
     * timer that fires a few milliseconds early. Never a later slot: a value is never stamped with a
     * time after it was read.
     */
    static Instant slotFor(PollCycle poll, Instant at) {
        Duration early = poll.cycle().dividedBy(10).compareTo(EARLY_WAKE) < 0 ? poll.cycle().dividedBy(10) : EARLY_WAKE;
        return poll.slotOf(at.plus(early));
    }

    /**
     * @param polled the slot just polled, or null at the start (the first poll waits for the next
     *               slot boundary); a poll that overran its slot is followed at once by the next one
     */
    private void scheduleNext(Instant polled) {
        if (stopped) {
            return;
        }
        PollCycle poll = options.poll();
        Instant now = clock.instant();
        Instant next = polled == null ? poll.nextSlot(now) : polled.plus(poll.cycle());
        try {
            executor.schedule(this::cycle, Math.max(0, Duration.between(now, next).toMillis()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // stopped
        }
    }

    private void cycle() {
        Instant now = clock.instant();
        Instant slot = slotFor(options.poll(), now);
        try {
            if (now.isBefore(slot) && !sleep(Duration.between(now, slot).plusMillis(1))) {
                return; // the timer fired early: nothing is read before the time it is stamped with
            }
            cycles.incrementAndGet();
            List<RawSample> samples = readAll(slot);
            Instant done = clock.instant();
            if (done.isAfter(slot.plus(options.poll().cycle()))) {
                // the next slot's poll starts late, or is skipped: a hole the pair records
                overruns.incrementAndGet();
                log.warn("Modbus gateway {} ({}): the poll of slot {} took until {}, past the next slot",
                        options.endpointUrl(), role.wireName(), slot, done);
            }
            if (!samples.isEmpty()) {
                listener.onSamples(role, samples);
            }
        } catch (RuntimeException e) {
            log.warn("Modbus gateway {}: polling failed: {}", options.endpointUrl(), e.toString());
        } finally {
            scheduleNext(slot);
        }
    }

    /**
     * One cycle: block after block (a gateway in front of serial meters answers one request at a
     * time), each tried up to 1 + retries times. Two blocks in a row without an answer end the cycle
     * early: the gateway itself is gone, and waiting out every meter's timeouts would overrun the cycle.
     */
    private List<RawSample> readAll(Instant slot) {
        PollCycle poll = options.poll();
        List<RawSample> samples = new ArrayList<>();
        int answered = 0;
        int silentInARow = 0;
        String problem = null;
        if (!connect()) {
            judge(!blocks.isEmpty(), "cannot connect to " + options.endpointUrl());
            return List.of();
        }
        for (ModbusBlock block : blocks) {
            if (stopped || silentInARow >= SILENT_BLOCKS_TO_GIVE_UP) {
                break;
            }
            byte[] registers = null;
            for (int attempt = 0; attempt <= poll.retries() && registers == null && !stopped; attempt++) {
                if (attempt > 0 && !sleep(poll.retryWait())) {
                    return List.of();
                }
                if (!client.isConnected() && !connectOnce()) {
                    problem = "cannot connect to " + options.endpointUrl();
                    continue;
                }
                try {
                    registers = read(block).get(poll.timeout().toMillis() + REQUEST_SLACK_MS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return List.of();
                } catch (Exception e) {
                    problem = "unit " + block.unit() + ": " + rootMessage(e);
                }
            }
            if (registers == null) {
                failedReads.incrementAndGet();
                silentInARow++;
                continue;
            }
            answered++;
            silentInARow = 0;
            Instant at = clock.instant();
            for (Map.Entry<String, ModbusAddress> value : block.values().entrySet()) {
                samples.add(new RawSample(value.getKey(), value.getValue().decode(registers, block.first()), slot, at, 0L));
                answeredAt.put(value.getKey(), slot);
            }
        }
        judge(answered == 0 && !blocks.isEmpty(), problem);
        return samples;
    }

    private void judge(boolean cycleFailed, String problem) {
        if (cycleFailed) {
            failedCycles.incrementAndGet();
            if (connected || lastProblem == null) {
                log.warn("Modbus gateway {} ({}): connection lost — no answer after {} tries: {}", options.endpointUrl(),
                        role.wireName(), options.poll().retries() + 1, problem);
            }
            lastProblem = problem;
            connected = false;
            return;
        }
        if (!connected && lastProblem != null) {
            log.info("Modbus gateway {} ({}): answering again", options.endpointUrl(), role.wireName());
        }
        lastProblem = problem == null ? "" : problem;
        connected = true;
    }

    private CompletableFuture<byte[]> read(ModbusBlock block) {
        if (block.table() == ModbusAddress.Table.HOLDING) {
            return client.readHoldingRegistersAsync(block.unit(), new ReadHoldingRegistersRequest(block.first(), block.count()))
                    .thenApply(response -> response.registers()).toCompletableFuture();
        }
        return client.readInputRegistersAsync(block.unit(), new ReadInputRegistersRequest(block.first(), block.count()))
                .thenApply(response -> response.registers()).toCompletableFuture();
    }

    /** Connects if not connected, with the cycle's tries and waits. */
    private boolean connect() {
        for (int attempt = 0; attempt <= options.poll().retries() && !stopped; attempt++) {
            if (client.isConnected()) {
                return true;
            }
            if (attempt > 0 && !sleep(options.poll().retryWait())) {
                return false;
            }
            if (connectOnce()) {
                return true;
            }
        }
        return false;
    }

    private boolean connectOnce() {
        try {
            client.connectAsync().toCompletableFuture().get(options.connectTimeout().toMillis() + REQUEST_SLACK_MS,
                    TimeUnit.MILLISECONDS);
            return client.isConnected();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    private boolean sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    public void stop() {
        stopped = true;
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (client != null) {
            try {
                client.disconnectAsync().toCompletableFuture().get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.debug("Modbus gateway {}: disconnect: {}", options.endpointUrl(), e.toString());
            }
        }
    }

    @Override
    public void close() {
        stop();
    }
}
