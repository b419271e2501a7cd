package io.busbar.routes.source;

import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.ServerRole;
import io.busbar.redundancy.PairSelector;
import io.busbar.routes.StageTrace;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A server's live batches on the pair's loop: noted for the server's health and liveness, then
 * forwarded when the server is the live one and no backfill runs, else held as its recent samples
 * (a standby's stream, or the live stream waiting behind a read-back). A live stream that skipped
 * a slot ({@link SlotSkips}), or a batch dropped because the loop could not keep up, starts a
 * read-back from history.
 * Owned by the pair's loop.
 */
final class LiveBatches {

    private final Clock clock;
    private final PairSelector selector;
    private final NodeLiveness liveness;
    private final NodeCadence cadence;
    private final SlotSkips skips;
    private final Forwarder forwarder;
    private final PairBackfill backfill;
    private final Map<ServerRole, RecentSamples> recent;

    LiveBatches(Clock clock, PairSelector selector, NodeLiveness liveness, NodeCadence cadence, SlotSkips skips,
                Forwarder forwarder, PairBackfill backfill, Map<ServerRole, RecentSamples> recent) {
        this.clock = clock;
        this.selector = selector;
        this.liveness = liveness;
        this.cadence = cadence;
        this.skips = skips;
        this.forwarder = forwarder;
        this.backfill = backfill;
        this.recent = recent;
    }

    void accept(ServerRole role, List<RawSample> batch) {
        StageTrace.picked(role, batch);
        Instant newest = liveness.observe(role, batch);
        if (newest != null) {
            selector.observations(role).sourceTime(newest, clock.instant());
        }
        if (role == backfill.liveFrom() && !backfill.running()) {
            SlotSkips.ReadBack readBack = skips.readBackIn(role, batch);
            if (readBack != null) {
                recent.get(role).add(batch, clock.instant());
                // the skipped slots from history, then this batch, in order
                backfill.startFor(role, readBack.nodes(), readBack.in(), null);
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

    /** The server whose live stream is forwarded now, or null; read on the servers' threads. */
    ServerRole liveFrom() {
        return backfill.liveFrom();
    }

    /**
     * A batch of the server's stream never reached the loop.
     *
     * @param what its nodes and newest time; null when not known (publish responses the server lost)
     */
    void dropped(ServerRole role, Dropped what) {
        recent.get(role).lost(clock.instant());
        if (role == backfill.liveFrom()) {
            if (what == null) {
                backfill.start(role); // every node, up to now
            } else {
                backfill.startFor(role, what); // the dropped batch alone
            }
        }
    }
}
