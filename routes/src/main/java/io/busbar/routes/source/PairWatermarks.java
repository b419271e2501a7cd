package io.busbar.routes.source;

import io.busbar.mappings.model.Reading;
import io.busbar.redundancy.ForwardGate;
import io.busbar.routes.plan.ForwardingScope;
import io.busbar.routes.plan.SourcePairPlan;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pair's per-node watermarks across restarts: restored into the gate at start (moved up by what
 * the forward log says was made durable after the last save), saved while running when something
 * new was forwarded, and the forward log trimmed behind each save.
 */
final class PairWatermarks {

    private static final Logger log = LoggerFactory.getLogger(PairWatermarks.class);

    private final SourcePairPlan plan;
    private final ForwardingScope scope;
    private final Clock clock;
    private final ForwardGate gate;
    private final Forwarder forwarder;
    private final WatermarkFile file;
    private final Optional<ForwardLog> forwardLog;
    /** Owned by the loop (and by close, after the loop stopped). */
    private long savedVersion;

    PairWatermarks(SourcePairPlan plan, ForwardingScope scope, Clock clock, ForwardGate gate, Forwarder forwarder,
                   WatermarkFile file, Optional<ForwardLog> forwardLog) {
        this.plan = plan;
        this.scope = scope;
        this.clock = clock;
        this.gate = gate;
        this.forwarder = forwarder;
        this.file = file;
        this.forwardLog = forwardLog;
    }

    /** Nodes whose watermarks one save may write per millisecond of the save period. */
    static final int NODES_PER_SAVE_MS = 5;
    /** The longest save period, whatever the node count. */
    static final long MAX_SAVE_PERIOD_MS = 2_000;

    /**
     * How often a pair with this many nodes saves: every save writes (and syncs) every node's
     * watermark, 20,000 entries a second at 10,000 tags every 500 ms, 12.6 % of the loop in the bench
     * profile. Above 2,500 nodes the period grows with the nodes, up to 2 s: a crash then replays
     * longer, which the forward log keeps from entering a reading twice.
     */
    static long savePeriodMs(int nodes, long shortest) {
        return Math.max(shortest, Math.min(MAX_SAVE_PERIOD_MS, nodes / NODES_PER_SAVE_MS));
    }

    void restore() {
        try {
            Map<String, Instant> saved = file.load();
            if (scope.rewindOnStart()) {
                // a new leader: what the lost one made durable may still sit undelivered in its own
                // buffer, so read the overlap again (same keys) rather than trust the shared file
                saved = TakeoverPoints.of(plan.mapping().nodeIds(), saved, scope.takeoverOverlap(),
                        scope.takeoverOverlap(), plan.backfill().maxWindow(), clock.instant());
            }
            long seq = file.loadSeq();
            if (forwardLog.isPresent() && !scope.rewindOnStart()) {
                try {
                    ForwardLog.Recovered recovered = forwardLog.get().recover(seq);
                    saved = withRecovered(saved, recovered.readings());
                    if (!recovered.readings().isEmpty()) {
                        log.info("Source pair {}: {} reading(s) of batches {}..{} were made durable after the last"
                                + " watermark save; they are not read again", plan.name(), recovered.readings().size(),
                                seq + 1, recovered.lastSeq());
                    }
                    seq = recovered.lastSeq();
                } catch (Exception e) {
                    log.warn("Source pair {}: cannot read the forward log ({}); the readings made durable after the"
                            + " last watermark save are read again (same keys)", plan.name(), e.toString());
                }
            }
            forwarder.resumeAfter(seq);
            savedVersion = seq;
            gate.restore(saved);
            if (!saved.isEmpty()) {
                log.info("Source pair {}: resuming after {} (oldest watermark of {} nodes); the gap is backfilled"
                        + " from the first active server", plan.name(), gate.oldestWatermark().orElseThrow(), saved.size());
            }
        } catch (IOException | RuntimeException e) {
            log.error("Source pair {}: cannot read the watermarks in {} ({}); starting without them, so the time"
                    + " Busbar was down is not backfilled", plan.name(), file.path(), e.toString());
        }
    }

    /** The saved watermarks moved up to the readings the forward log holds beyond them. */
    private Map<String, Instant> withRecovered(Map<String, Instant> saved, List<Reading> readings) {
        Map<String, String> nodes = new HashMap<>();
        plan.mapping().registers().forEach(r -> nodes.putIfAbsent(r.meter() + "\n" + r.quantity(), r.nodeId()));
        Map<String, Instant> marks = new HashMap<>(saved);
        for (Reading reading : readings) {
            String node = nodes.get(reading.meter() + "\n" + reading.quantity());
            if (node != null) {
                marks.merge(node, reading.sourceTime(), (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        return marks;
    }

    /** Saves the gate when a batch was forwarded since the last save, then trims the forward log behind it. */
    void save() {
        // the sequence number first: every batch up to it has moved the gate before it was counted
        long version = forwarder.version();
        if (version == savedVersion) {
            return;
        }
        try {
            file.save(gate.snapshot(), version);
            savedVersion = version;
        } catch (IOException | RuntimeException e) {
            log.warn("Source pair {}: cannot save the watermarks: {}", plan.name(), e.toString());
            return;
        }
        try {
            if (forwardLog.isPresent()) {
                forwardLog.get().trim(version);
            }
        } catch (Exception e) {
            log.warn("Source pair {}: cannot trim the forward log (the next save tries again): {}", plan.name(), e.toString());
        }
    }
}
