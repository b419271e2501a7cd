package io.busbar.routes.source;

import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.ServerRole;
import io.micrometer.core.instrument.Counter;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands a server's publish from the server's thread to the pair's loop without blocking that
 * thread, bounded: beyond {@link #MAX_QUEUED_SAMPLES} waiting samples a batch is dropped, counted,
 * and read back from history by the loop, so a load the loop cannot keep up with shows as latency
 * and backfill instead of filling the heap until Milo's receive path fails.
 */
final class LiveHandOff {

    /**
     * Samples queued between the servers' threads and the loop; beyond this, batches are read back
     * from history. With the recent samples ({@link SourcePairRuntime#MAX_RECENT_SAMPLES}), at most
     * 1/8 of the heap per pair: at 1/4 (1/8 here, 1/16 each server's recent stream) a 10,000-tag ×
     * 10 Hz pair that fell behind held 525,898 samples, and GC took 60 % of the time in -Xmx256m
     * (bench, 2026-12-04 15:23).
     */
    static final int MAX_QUEUED_SAMPLES = RecentSamples.heapBound(16);

    private final PairLoop loop;
    private final LiveBatches live;
    private final AtomicInteger queued;
    private final Counter dropped;

    /**
     * @param queued  samples waiting for the loop (shared with the pair's gauge)
     * @param dropped samples dropped because too many were waiting
     */
    LiveHandOff(PairLoop loop, LiveBatches live, AtomicInteger queued, Counter dropped) {
        this.loop = loop;
        this.live = live;
        this.queued = queued;
        this.dropped = dropped;
    }

    void hand(ServerRole role, List<RawSample> batch) {
        int size = batch.size();
        if (queued.addAndGet(size) > MAX_QUEUED_SAMPLES) {
            queued.addAndGet(-size);
            dropped.increment(size);
            loop.execute(() -> live.dropped(role));
            return;
        }
        if (!loop.execute(() -> {
            queued.addAndGet(-size);
            live.accept(role, batch);
        })) {
            queued.addAndGet(-size);
        }
    }
}
