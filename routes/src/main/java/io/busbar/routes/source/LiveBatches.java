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
 * (a standby's stream, or the live stream waiting behind a read-back); in a node's first seconds
 * (the stream's, or its own when it first streams later), its values wait until its cadence is
 * known ({@link StartHold}). A live stream that skipped
 * a slot ({@link SlotSkips}), or a batch dropped because the loop could not keep up, starts a
 * read-back from history.
 * Owned by the pair's loop.
 */
final class LiveBatches implements PairBackfill.Live {

    private final Clock clock;
    private final PairSelector selector;
    private final NodeLiveness liveness;
    private final NodeCadence cadence;
    private final SlotSkips skips;
    private final Forwarder forwarder;
    private final PairBackfill backfill;
    private final Map<ServerRole, RecentSamples> recent;
    private final StartHold hold;

    LiveBatches(Clock clock, PairSelector selector, NodeLiveness liveness, NodeCadence cadence, SlotSkips skips,
                Forwarder forwarder, PairBackfill backfill, Map<ServerRole, RecentSamples> recent, StartHold hold) {
        this.hold = hold;
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
        onward(role, batch);
    }

    @Override
    public void resume(ServerRole role, List<List<RawSample>> batches) {
        batches.forEach(batch -> onward(role, batch));
    }

    /** Forwarded if the server is live and no read-back holds its stream, else held in its window. */
    private void onward(ServerRole role, List<RawSample> batch) {
        if (role != backfill.liveFrom() || backfill.running()) {
            recent.get(role).add(batch, clock.instant());
            return;
        }
        if (!hold.holding(role)) {
            forward(role, batch);
            return;
        }
        List<RawSample> now = hold.admit(batch, clock.instant());
        if (!now.isEmpty()) {
            forward(role, now);
        }
        if (hold.overflowed()) {
            backfill.start(role); // what the hold dropped: those nodes from the stream's start
        }
    }

    /**
     * Values the {@link StartHold} let go (their nodes' cadence is known now, or the start's sample
     * has been read): forwarded as the live stream is, unless a read-back has begun meanwhile (its
     * start took what the hold held).
     */
    @Override
    public void released(ServerRole role, List<RawSample> samples) {
        if (!samples.isEmpty() && role == backfill.liveFrom() && !backfill.running()) {
            forward(role, samples);
        }
    }

    /** Values the {@link StartHold} waited for long enough: on, unless a read-back holds the stream (it asks again). */
    void releaseOverdue() {
        ServerRole role = backfill.liveFrom();
        if (role != null && hold.holding(role) && !backfill.running()) {
            released(role, hold.overdue(clock.instant()));
        }
    }

    private void forward(ServerRole role, List<RawSample> batch) {
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
