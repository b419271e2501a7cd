package io.busbar.routes.source;

import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.SampleColumns;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * The live batches one server delivered recently and that were not forwarded: a hot standby's
 * stream, or the active server's while its backfill runs. At a switchover they close the seam that
 * history cannot (nodes the server does not historize, history that lags the live stream): the
 * keys are the same as the old server's, so the forward-once gate passes only what is missing.
 *
 * <p>Bounded twice: by age (batches that arrived longer ago than the retention are dropped, unless
 * {@link #pin pinned}) and by count. A pinned window that is full takes no more (an overflow: the
 * owner reads that time back from history, up to now, so the oldest batches are the ones worth
 * keeping); an unpinned one drops its oldest (a standby's newest values close a switchover's seam).
 *
 * <p>Batches are held as {@link SampleColumns} (columns), read back as samples made on demand.
 *
 * <p>Not thread-safe: owned by the pair's event loop.
 */
final class RecentSamples {

    private record Arrival(Instant at, List<RawSample> batch) {
    }

    private final Duration retention;
    private final IntSupplier maxSamples;
    private final Deque<Arrival> batches = new ArrayDeque<>();
    private int samples;
    private boolean pinned;
    private boolean overflowed;
    /** When the window last lost a batch of the stream to a bound (its own count, the hand-off's); null if never. */
    private Instant incompleteAt;

    /**
     * @param maxSamples the most samples held: the server's share of the instance's
     *                   {@link IngestBudget}, which moves as pairs start and stop
     */
    RecentSamples(Duration retention, IntSupplier maxSamples) {
        this.retention = retention;
        this.maxSamples = maxSamples;
    }

    void add(List<RawSample> batch, Instant at) {
        int max = maxSamples.getAsInt();
        if (pinned && !batches.isEmpty() && samples + batch.size() > max) {
            // not even converted: at 10 Hz × 10,000 tags a read-back outlasts the window, and turning
            // each later batch into columns only to evict one was the loop's work while it waited
            overflowed = true;
            incompleteAt = at;
            return;
        }
        // in columns: held for seconds, a batch as objects was what each young collection copied
        batches.addLast(new Arrival(at, SampleColumns.of(batch)));
        samples += batch.size();
        while (samples > max && !batches.isEmpty()) {
            overflowed |= pinned;
            incompleteAt = at;
            samples -= batches.removeFirst().batch().size();
        }
        expire(at);
    }

    /** A batch of the server's stream was dropped before it reached the window (ingest behind). */
    void lost(Instant at) {
        incompleteAt = at;
    }

    /**
     * Whether the window holds everything the server streamed over the retention: only then does a
     * node absent from it mean the server delivered nothing of it. At 50,000 tags a server's share of
     * the budget holds about one publish, so the window is rarely complete there.
     */
    boolean complete(Instant now) {
        return incompleteAt == null || incompleteAt.isBefore(now.minus(retention));
    }

    /** Drops what arrived before the retention, unless pinned. */
    void expire(Instant now) {
        if (pinned) {
            return;
        }
        Instant oldest = now.minus(retention);
        while (!batches.isEmpty() && batches.peekFirst().at().isBefore(oldest)) {
            samples -= batches.removeFirst().batch().size();
        }
    }

    /** While pinned (a backfill runs), nothing expires by age: every batch is needed afterwards. */
    void pin() {
        pinned = true;
    }

    /** Everything held, in arrival order, and empties the window; unpins it and clears the overflow. */
    List<List<RawSample>> drain() {
        List<List<RawSample>> all = new ArrayList<>(batches.size());
        batches.forEach(arrival -> all.add(arrival.batch()));
        batches.clear();
        samples = 0;
        pinned = false;
        overflowed = false;
        return all;
    }

    /** Whether a pinned batch was dropped for the count bound since the last {@link #drain()}. */
    boolean overflowed() {
        return overflowed;
    }

    int size() {
        return samples;
    }

    /** Per node, the newest source time held with a status that is not Bad (a node that is alive here). */
    Map<String, Instant> newestGood() {
        Map<String, Instant> newest = new HashMap<>();
        for (Arrival arrival : batches) {
            SampleColumns.scan(arrival.batch(), (index, nodeId, sourceTime, statusCode) -> {
                if (sourceTime != null && (statusCode >>> 30) != 2) {
                    newest.merge(nodeId, sourceTime, (a, b) -> a.isAfter(b) ? a : b);
                }
            });
        }
        return newest;
    }

    /**
     * Per node of {@code watermarks}, the oldest source time held after its watermark: where the live
     * stream takes over after a gap. Nodes with nothing held after their watermark are absent.
     */
    Map<String, Instant> firstAfter(Map<String, Instant> watermarks) {
        Map<String, Instant> first = new HashMap<>();
        for (Arrival arrival : batches) {
            SampleColumns.scan(arrival.batch(), (index, nodeId, at, statusCode) -> {
                Instant after = watermarks.get(nodeId);
                if (at != null && after != null && at.isAfter(after)) {
                    first.merge(nodeId, at, (a, b) -> a.isBefore(b) ? a : b);
                }
            });
        }
        return first;
    }

    /** The samples of these nodes, in arrival order; the window keeps them. */
    List<RawSample> samplesOf(Set<String> nodes) {
        List<RawSample> found = new ArrayList<>();
        for (Arrival arrival : batches) {
            List<RawSample> batch = arrival.batch();
            SampleColumns.scan(batch, (index, nodeId, at, statusCode) -> {
                if (nodes.contains(nodeId)) {
                    found.add(batch.get(index));
                }
            });
        }
        return found;
    }

    /** Stops pinning without draining: the batches stay as a standby's recent stream. */
    void unpin() {
        pinned = false;
        overflowed = false;
    }
}
