package io.busbar.routes.source;

import io.busbar.connectors.opcua.HistoryUnavailableException;
import io.busbar.connectors.opcua.OpcUaSource;
import io.busbar.mappings.RawSample;
import io.busbar.redundancy.ForwardGate;
import io.busbar.routes.plan.BackfillPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.ToIntFunction;

/**
 * Reads the gap since the last forwarded value from a server's history (HistoryRead raw) and hands
 * it to the forwarder: from the oldest per-node watermark minus the overlap up to now, capped at the
 * policy's window. The read goes in time slices and node groups so that a long gap over many nodes
 * never sits in memory at once; slices ascend in time, so every node's values stay in order.
 */
final class Backfiller {

    static final Duration SLICE = Duration.ofMinutes(5);
    static final int NODES_PER_READ = 200;
    static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final List<String> nodeIds;
    private final ForwardGate gate;
    private final BackfillPolicy policy;
    private final Clock clock;

    Backfiller(List<String> nodeIds, ForwardGate gate, BackfillPolicy policy, Clock clock) {
        this.nodeIds = nodeIds;
        this.gate = gate;
        this.policy = policy;
        this.clock = clock;
    }

    /**
     * @param forward     forwards a slice of history, returns how many readings it made durable
     * @param stillActive false once the server is no longer the active one: the run stops
     * @return empty when nothing was ever forwarded, so there is no gap to close
     */
    Optional<BackfillReport> run(OpcUaSource server, ToIntFunction<List<RawSample>> forward, BooleanSupplier stillActive) {
        Optional<Instant> oldest = gate.oldestWatermark();
        if (oldest.isEmpty()) {
            return Optional.empty();
        }
        Instant to = clock.instant();
        Instant wanted = oldest.get().minus(policy.overlap());
        Instant from = wanted.isBefore(to.minus(policy.maxWindow())) ? to.minus(policy.maxWindow()) : wanted;
        boolean truncated = from.isAfter(wanted);
        Duration cut = truncated ? Duration.between(oldest.get(), from) : Duration.ZERO;
        String name = server.role().wireName();
        long readings = 0;
        Instant reached = from;
        try {
            for (Instant start = from; start.isBefore(to); start = start.plus(SLICE)) {
                reached = start;
                Instant end = start.plus(SLICE).isBefore(to) ? start.plus(SLICE) : to;
                for (int i = 0; i < nodeIds.size(); i += NODES_PER_READ) {
                    if (!stillActive.getAsBoolean()) {
                        return Optional.of(new BackfillReport(name, from, to, readings, truncated,
                                cut.plus(Duration.between(start, to)), Optional.of("the " + name + " server stopped being active")));
                    }
                    List<String> group = nodeIds.subList(i, Math.min(nodeIds.size(), i + NODES_PER_READ));
                    List<RawSample> history = server.historyReadRaw(group, start, end)
                            .get(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).samples();
                    readings += forward.applyAsInt(history);
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String why = cause instanceof HistoryUnavailableException
                    ? "the " + name + " server keeps no history: " + cause.getMessage()
                    : "history read from the " + name + " server failed: " + cause;
            return Optional.of(new BackfillReport(name, from, to, readings, truncated,
                    cut.plus(Duration.between(reached, to)), Optional.of(why)));
        } catch (TimeoutException e) {
            return Optional.of(new BackfillReport(name, from, to, readings, truncated,
                    cut.plus(Duration.between(reached, to)), Optional.of("history read timed out after " + READ_TIMEOUT)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(new BackfillReport(name, from, to, readings, truncated,
                    cut.plus(Duration.between(reached, to)), Optional.of("interrupted")));
        }
        return Optional.of(new BackfillReport(name, from, to, readings, truncated, cut,
                truncated ? Optional.of("gap longer than max-window " + policy.maxWindow()) : Optional.empty()));
    }
}
