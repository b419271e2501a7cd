package io.busbar.redundancy;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers, per node, the newest source time already made durable, and admits only values newer
 * than that. This is what keeps a switchover duplicate-free: live values from the new server and
 * history read to close the gap may overlap the old server's, but each (node, source time) passes
 * once. It is also the point to backfill from after a switchover or an outage.
 *
 * <p>Callers check with {@link #isNew} and record with {@link #markForwarded} only after the
 * readings are durable, so a failed hand-off never moves the watermark past lost values.
 */
public final class ForwardGate {

    private final Map<String, Instant> lastForwarded = new ConcurrentHashMap<>();

    public boolean isNew(String nodeId, Instant sourceTime) {
        Instant last = lastForwarded.get(nodeId);
        return last == null || sourceTime.isAfter(last);
    }

    public void markForwarded(String nodeId, Instant sourceTime) {
        lastForwarded.merge(nodeId, sourceTime, (a, b) -> a.isAfter(b) ? a : b);
    }

    public Optional<Instant> lastForwarded(String nodeId) {
        return Optional.ofNullable(lastForwarded.get(nodeId));
    }

    /** A copy of every node's watermark, e.g. to persist it. */
    public Map<String, Instant> snapshot() {
        return Map.copyOf(lastForwarded);
    }

    /** Starts from watermarks saved earlier, so a restart backfills exactly the time it was down. */
    public void restore(Map<String, Instant> watermarks) {
        watermarks.forEach(this::markForwarded);
    }

    /** The oldest of the per-node watermarks: backfill from here covers every node. */
    public Optional<Instant> oldestWatermark() {
        return lastForwarded.values().stream().min(Instant::compareTo);
    }
}
