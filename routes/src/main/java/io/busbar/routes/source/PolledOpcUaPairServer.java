package io.busbar.routes.source;

import io.busbar.connectors.opcua.SampleListener;
import io.busbar.connectors.opcua.SourceSubscription;
import io.busbar.connectors.poll.PollCycle;
import io.busbar.mappings.model.RawSample;
import io.busbar.routes.plan.ServerPlan;
import io.busbar.support.DaemonThreads;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pair's OPC UA server read in cycles of Read requests instead of a subscription (the pair's
 * {@code poll} block): for servers whose subscriptions are unreliable or limited, and for billing
 * registers that need a value every 15 minutes, not every change.
 *
 * <p>The connection, ServiceLevel and history are {@link OpcUaSource}'s, as for a subscribed server.
 * Each cycle reads the mapped nodes with one Read request; a request without an answer within the
 * poll timeout is tried again after the wait, up to the retries; a cycle without an answer makes the
 * server "connection lost" ({@link #connected()} false) for the selector until a cycle is answered.
 * A reading's time is the server's source timestamp, never the poll time; a value whose source
 * timestamp has not moved since the last poll is not handed on again. A cycle the server missed is
 * read back from its history by the pair's engine, as for a subscription that skipped a slot.
 */
final class PolledOpcUaPairServer extends OpcUaSourcePairServer {

    private static final Logger log = LoggerFactory.getLogger(PolledOpcUaPairServer.class);
    /** How long after a slot boundary a cycle polls (half the cycle when that is shorter). */
    static final Duration POLL_AFTER_BOUNDARY = Duration.ofMillis(500);

    private final PollCycle poll;
    private final ScheduledExecutorService executor;
    private final AtomicLong failedCycles = new AtomicLong();
    private final Map<String, Instant> lastSourceTime = new HashMap<>(); // the executor's thread only
    private final List<Polled> polled = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean answering = true;

    private record Polled(List<String> nodeIds, SampleListener listener) {
    }

    PolledOpcUaPairServer(ServerPlan server) {
        super(server);
        this.poll = server.poll().orElseThrow();
        this.executor = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("busbar-poll-" + server.role().wireName()));
    }

    @Override
    public void start() {
        source.start();
        Instant now = Instant.now();
        // off the slot boundary: servers commonly update on whole seconds, and a poll right at the
        // boundary races the update, reading the old value one cycle and two slots the next (seen as
        // a skipped second every few cycles against the simulator)
        Duration offset = min(poll.cycle().dividedBy(2), POLL_AFTER_BOUNDARY);
        executor.scheduleAtFixedRate(this::cycle, Duration.between(now, poll.nextSlot(now)).plus(offset).toMillis(),
                poll.cycle().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        executor.shutdownNow();
        source.stop();
    }

    /** Connected, and the last cycle was answered. */
    @Override
    public boolean connected() {
        return answering && sessionUp();
    }

    @Override
    public java.util.Optional<String> connectionLost() {
        return answering || !sessionUp() ? java.util.Optional.empty()
                : java.util.Optional.of(lostReason());
    }

    /** "connection lost — no answer to the poll after 3 tries (timeout 250ms each)". */
    private String lostReason() {
        return "connection lost — no answer to the poll after " + (poll.retries() + 1) + " tries (timeout "
                + poll.timeout().toMillis() + "ms each)";
    }

    @Override
    public long connectFailures() {
        return source.connectFailures() + failedCycles.get();
    }

    @Override
    public SourceSubscription subscribe(List<String> nodeIds, SampleListener listener) {
        polled.add(new Polled(List.copyOf(nodeIds), listener));
        return publishing -> { }; // every server of a polled pair is read each cycle; the engine forwards the active one
    }

    private void cycle() {
        if (!sessionUp()) {
            answering = false; // the session is down: the source reconnects and reports it; nothing to poll
            return;
        }
        boolean answered = false;
        String problem = null;
        for (Polled each : polled) {
            List<RawSample> values = null;
            for (int attempt = 0; attempt <= poll.retries() && values == null; attempt++) {
                if (attempt > 0 && !sleep(poll.retryWait())) {
                    return;
                }
                try {
                    values = source.readValues(each.nodeIds()).get(poll.timeout().toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    problem = e.getCause() == null ? e.toString() : e.getCause().toString();
                }
            }
            if (values != null) {
                answered = true;
                List<RawSample> changed = changed(values);
                if (!changed.isEmpty()) {
                    each.listener().onSamples(source.role(), changed);
                }
            }
        }
        if (!answered && !polled.isEmpty()) {
            failedCycles.incrementAndGet();
            if (answering) {
                log.warn("OPC UA server {} ({}): {}: {}", source.options().endpointUrl(), source.role().wireName(),
                        lostReason(), problem);
            }
            answering = false;
        } else if (answered && !answering && failedCycles.get() > 0) {
            answering = true;
            log.info("OPC UA server {} ({}): answering the poll again", source.options().endpointUrl(),
                    source.role().wireName());
        } else if (answered) {
            answering = true;
        }
    }

    /** The values whose source timestamp moved since the last poll (a value without one is always new). */
    private List<RawSample> changed(List<RawSample> values) {
        List<RawSample> changed = new ArrayList<>(values.size());
        for (RawSample value : values) {
            Instant time = value.sourceTime();
            if (time == null) {
                changed.add(value);
                continue;
            }
            Instant last = lastSourceTime.put(value.nodeId(), time);
            if (last == null || time.isAfter(last)) {
                changed.add(value);
            }
        }
        return changed;
    }

    private static boolean sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
