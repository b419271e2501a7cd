package io.busbar.routes.source;

import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.SampleColumns;
import io.busbar.mappings.model.ServerRole;
import io.micrometer.core.instrument.Counter;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * Hands a server's publish from the server's thread to the pair's loop without blocking that
 * thread, bounded: beyond the pair's share of the instance's {@link IngestBudget} a batch is
 * dropped, counted, and read back from history by the loop, so a load the loop cannot keep up with
 * shows as latency and backfill instead of filling the heap until Milo's receive path fails.
 *
 * <p>The bound is the pair's share, not a fraction of the heap per pair: with 1/16 of the heap per
 * pair, two pairs of 50,000 tags queued twice what one pair may (bench, 2026-12-04). At 1/4 of the
 * heap (1/8 queued, 1/16 each server's recent stream) a 10,000-tag × 10 Hz pair that fell behind
 * held 525,898 samples, and GC took 60 % of the time in -Xmx256m (bench, 2026-12-04 15:23).
 */
final class LiveHandOff {

    private final PairLoop loop;
    private final LiveBatches live;
    private final AtomicInteger queued;
    private final IntSupplier limit;
    private final Counter dropped;
    private final NodeSlots slots;

    /**
     * @param queued  samples waiting for the loop (shared with the pair's gauge)
     * @param limit   how many samples may wait: the pair's share, which moves as pairs start and stop
     * @param dropped samples dropped because too many were waiting
     */
    LiveHandOff(PairLoop loop, LiveBatches live, AtomicInteger queued, IntSupplier limit, Counter dropped,
                NodeSlots slots) {
        this.loop = loop;
        this.slots = slots;
        this.live = live;
        this.queued = queued;
        this.limit = limit;
        this.dropped = dropped;
    }

    /** Publish responses of the server were lost: after what is queued, that time is read back. */
    void lost(ServerRole role) {
        loop.execute(() -> live.dropped(role, null));
    }

    void hand(ServerRole role, List<RawSample> batch) {
        int size = batch.size();
        // an empty queue always takes one batch: a publish larger than the share (50,000 values in
        // a small heap) is delivered late rather than never
        int before = queued.getAndAdd(size);
        if (before > 0 && before + size > limit.getAsInt()) {
            queued.addAndGet(-size);
            dropped.increment(size);
            // what the live server's dropped batch held, so that only it is read back; not the batch itself,
            // whose heap the drop is for
            Dropped what = role == live.liveFrom() ? Dropped.of(batch, slots) : null;
            loop.execute(() -> live.dropped(role, what));
            return;
        }
        // in columns while it waits (a polled server's list; a subscription's batch is in them already)
        SampleColumns columns = SampleColumns.of(batch);
        if (!loop.execute(() -> {
            queued.addAndGet(-size);
            live.accept(role, columns);
        })) {
            queued.addAndGet(-size);
        }
    }
}
