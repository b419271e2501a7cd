package io.busbar.routes.source;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where an instance that takes a pair over starts forwarding, per node: a watermark of its own
 * (moved back by {@code rewind}) when it is recent enough to be read back within max-window,
 * otherwise the takeover moment minus the overlap. Everything after the returned point is read
 * from history and forwarded; what another instance already forwarded arrives again with the same
 * key, which idempotent targets keep once.
 */
final class TakeoverPoints {

    private TakeoverPoints() {
    }

    /**
     * @param own       the watermarks this instance has (restored from its file or kept in memory)
     * @param rewind    how far to move an own watermark back (zero: trust it as it is)
     * @param overlap   without a usable own watermark: how far before {@code now} to start
     * @param maxWindow an own watermark older than this before {@code now} is not used
     */
    static Map<String, Instant> of(List<String> nodes, Map<String, Instant> own, Duration rewind, Duration overlap,
                                   Duration maxWindow, Instant now) {
        Instant oldestUsable = now.minus(maxWindow);
        Instant fallback = now.minus(overlap);
        Map<String, Instant> points = new HashMap<>();
        for (String node : nodes) {
            Instant watermark = own.get(node);
            points.put(node, watermark != null && !watermark.isBefore(oldestUsable) ? watermark.minus(rewind) : fallback);
        }
        return points;
    }
}
