package io.busbar.routes.source;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * How complete a pair's stream has been since the start: the seconds no one could fill and the
 * latest holes. Written by the pair's event loop, read by health; hence synchronized.
 */
final class Completeness {

    static final int HOLES_KEPT = 10;
    /** A hole this recent keeps the pair DEGRADED: an operator should have a chance to see it. */
    static final Duration ATTENTION = Duration.ofMinutes(10);

    private final Deque<Hole> holes = new ArrayDeque<>();
    private double unfilledSeconds;

    synchronized void record(Hole hole) {
        holes.addFirst(hole);
        while (holes.size() > HOLES_KEPT) {
            holes.removeLast();
        }
        unfilledSeconds += hole.length().toMillis() / 1000.0;
    }

    /** The latest holes, newest first. */
    synchronized List<Hole> holes() {
        return List.copyOf(holes);
    }

    synchronized double unfilledSeconds() {
        return unfilledSeconds;
    }

    /** Whether the newest hole ended within {@link #ATTENTION} before {@code now}. */
    synchronized boolean recentHole(Instant now) {
        Hole newest = holes.peekFirst();
        return newest != null && newest.to().isAfter(now.minus(ATTENTION));
    }
}
