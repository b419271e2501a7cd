package io.busbar.routes.source;

import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.ServerRole;
import io.busbar.redundancy.ForwardGate;
import io.busbar.redundancy.PairSelector;
import io.busbar.routes.StageTrace;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's live batches on the pair's loop: noted for the server's health and liveness, then
 * forwarded when the server is the live one and no backfill runs, else held as its recent samples
 * (a standby's stream, or the live stream waiting behind a read-back). A live stream that skipped
 * a slot, or a batch dropped because the loop could not keep up, starts a read-back from history.
 * Owned by the pair's loop.
 */
final class LiveBatches {

    private static final Logger log = LoggerFactory.getLogger(LiveBatches.class);
    /** A live stream that skipped a slot starts a read-back from history at most this often. */
    static final Duration SKIP_READBACK_PERIOD = Duration.ofSeconds(5);

    private final String pair;
    private final Clock clock;
    private final PairSelector selector;
    private final NodeLiveness liveness;
    private final NodeCadence cadence;
    private final ForwardGate gate;
    private final Forwarder forwarder;
    private final PairBackfill backfill;
    private final Map<ServerRole, RecentSamples> recent;
    private final Completeness completeness;
    private final PairMeters meters;
    private Instant lastSkipReadBack;

    LiveBatches(String pair, Clock clock, PairSelector selector, NodeLiveness liveness, NodeCadence cadence,
                ForwardGate gate, Forwarder forwarder, PairBackfill backfill, Map<ServerRole, RecentSamples> recent,
                Completeness completeness, PairMeters meters) {
        this.pair = pair;
        this.clock = clock;
        this.selector = selector;
        this.liveness = liveness;
        this.cadence = cadence;
        this.gate = gate;
        this.forwarder = forwarder;
        this.backfill = backfill;
        this.recent = recent;
        this.completeness = completeness;
        this.meters = meters;
    }

    void accept(ServerRole role, List<RawSample> batch) {
        StageTrace.picked(role, batch);
        Instant newest = liveness.observe(role, batch);
        if (newest != null) {
            selector.observations(role).sourceTime(newest, clock.instant());
        }
        if (role == backfill.liveFrom() && !backfill.running()) {
            if (skipsASlot(role, batch)) {
                recent.get(role).add(batch, clock.instant());
                backfill.start(role); // the skipped slot from history, then this batch, in order
                return;
            }
            try {
                forwarder.forward(role, batch);
                cadence.observe(batch);
                backfill.closePendingGaps(batch);
            } catch (Forwarder.BufferRefusedException e) {
                recent.get(role).add(batch, clock.instant());
                backfill.retryLater(role);
            }
        } else {
            recent.get(role).add(batch, clock.instant());
        }
    }

    /**
     * Whether the batch jumps past a slot of a node with a steady cadence: a server whose update was
     * late sets two slots before its sampling saw the first, and the gate would pass the second and
     * never admit the first. Read back at most every {@link #SKIP_READBACK_PERIOD}; a skip within it
     * is forwarded as it is and the slot stays a hole, recorded like any other.
     */
    private boolean skipsASlot(ServerRole role, List<RawSample> batch) {
        // looked up only for nodes with a cadence; no map per batch (bench profile)
        RawSample skip = cadence.firstSkip(batch, node -> {
            ForwardGate.Mark mark = gate.find(node);
            return mark == null ? null : mark.forwarded();
        });
        if (skip == null) {
            return false;
        }
        meters.skippedSlots.increment();
        Instant now = clock.instant();
        if (lastSkipReadBack != null && now.isBefore(lastSkipReadBack.plus(SKIP_READBACK_PERIOD))) {
            Instant from = gate.lastForwarded(skip.nodeId()).orElse(null);
            completeness.record(new Hole(from, skip.sourceTime(), 1, role.wireName(),
                    "the live stream skipped " + skip.nodeId() + " while a read-back had just run"));
            return false;
        }
        lastSkipReadBack = now;
        log.info("Source pair {}: the {} server's live stream skipped a slot of {} (last forwarded {}, next {});"
                + " reading it back from history", pair, role.wireName(), skip.nodeId(),
                gate.lastForwarded(skip.nodeId()).orElse(null), skip.sourceTime());
        return true;
    }

    void dropped(ServerRole role) {
        recent.get(role).lost(clock.instant());
        if (role == backfill.liveFrom()) {
            backfill.start(role); // the dropped batch is read back from history
        }
    }
}
