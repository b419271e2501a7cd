package io.busbar.routes.source;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One heap budget for the live samples an instance holds between its servers and its pairs' loops,
 * whatever the number of pairs: samples queued for a loop ({@link LiveHandOff}) and a server's
 * recent stream ({@link RecentSamples}). Each pair that runs takes an equal share, recomputed as
 * pairs start and stop.
 *
 * <p>Why one budget: the bounds were per pair (1/16 of the heap queued, 1/32 per server recent),
 * so two pairs of 50,000 tags could hold twice as much as one pair of 100,000 — the 100,000-tag
 * scale point ran out of its 512 MB during the start-up backlog (bench, 2026-12-04). What a share
 * does not hold is dropped, counted and read back from history: latency, never heap.
 */
public final class IngestBudget {

    /**
     * What one held sample is counted as: what it cost as objects (the RawSample 40 B, 1.65 Instants
     * of 24 B, 1.07 boxed Doubles of 24 B and 9 B of list: 114 B, live-heap histograms of the scale
     * points, 2026-12-04), though samples are held in columns now ({@code SampleColumns}, 36 B). Counting
     * 40 B let the same heap share hold three times the samples: no gain at 10,000 × 10 Hz in 256 MB,
     * and at 100,000 tags in 512 MB a live heap 20–40 MB higher and 2,307 / 14,067 readings/s against
     * 12,190 / 18,503 for the morning's jar (bench, alternated, 2026-12-05). Holding fewer leaves the
     * heap to the rest of the pipeline.
     */
    static final int BYTES_PER_HELD_SAMPLE = 120;
    /** Queued for the loops: 1/16 of the heap for the whole instance. */
    static final int QUEUED_FRACTION = 16;
    /** Recent streams of all servers together: 1/16 of the heap for the whole instance. */
    static final int RECENT_FRACTION = 16;
    /** Whatever the heap, at most this many queued, and twice as many recent (as per pair before). */
    static final int MAX_SAMPLES = 500_000;

    private static final IngestBudget SHARED = new IngestBudget(Runtime.getRuntime().maxMemory());

    private final int queued;
    private final int recent;
    private final AtomicInteger pairs = new AtomicInteger();

    /** @param heapBytes the heap the budget is a part of */
    public IngestBudget(long heapBytes) {
        this((int) Math.min(MAX_SAMPLES, heapBytes / QUEUED_FRACTION / BYTES_PER_HELD_SAMPLE),
                (int) Math.min(2L * MAX_SAMPLES, heapBytes / RECENT_FRACTION / BYTES_PER_HELD_SAMPLE));
    }

    /** A budget of explicit sample counts, for tests that need a bound they can reach. */
    public IngestBudget(int queuedSamples, int recentSamples) {
        this.queued = queuedSamples;
        this.recent = recentSamples;
    }

    /** The instance's budget: the JVM's heap. */
    public static IngestBudget shared() {
        return SHARED;
    }

    /** A running pair's share; {@link Share#close()} when the pair stops, so the others get more. */
    Share join() {
        pairs.incrementAndGet();
        return new Share();
    }

    /** A pair's part of the budget. Read on any thread: the limits move as pairs join and leave. */
    final class Share implements AutoCloseable {

        private boolean closed;

        /** Samples the pair may have queued for its loop. */
        int queuedLimit() {
            return queued / Math.max(1, pairs.get());
        }

        /** Samples one server of the pair may hold as its recent stream (two servers per pair). */
        int recentLimit() {
            return recent / 2 / Math.max(1, pairs.get());
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                pairs.decrementAndGet();
            }
        }
    }
}
