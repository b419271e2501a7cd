package io.busbar.routes.source;

import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.SampleColumns;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Per node, the step between consecutive source times of what the pair forwards and reads back
 * (its live stream and its server's history), once it has repeated often enough to be the node's
 * cadence (a meter updated every second). History read at the start of a node's stream makes the
 * cadence known before the first live value is judged. A live value
 * further than one and a half steps past the node's last forwarded one means the stream skipped a
 * slot: a late update that the server's sampling never saw. Nodes without a steady step (registers
 * that report only on change) have no cadence and are never judged.
 *
 * <p>A cadence, once steady, stays until another step has repeated as often: a switchover or a
 * skipped slot makes one odd step, and forgetting the cadence there would leave the next skip, a
 * second later, unjudged (seen in a polled pair right after a switchover).
 *
 * <p>Not thread-safe: owned by the pair's event loop.
 */
final class NodeCadence {

    /** Equal steps in a row before a step counts as the node's cadence. */
    static final int STEADY_STEPS = 3;
    private static final long NONE = 0;

    /** Steps in nanoseconds, not {@link Duration}s: this runs for every forwarded sample (bench profile, 5 %). */
    private static final class Track {
        Instant last;
        long cadence = NONE;
        long candidate = NONE;
        int candidateSteps;
        /** The {@link #skips} call that last judged the node, and the newest time it had reached. */
        long judgedIn;
        Instant judgedUpTo;

        /** The node's next value: a step if it is newer than the last. */
        void advance(Instant at) {
            if (last != null && at.isAfter(last)) {
                step(nanosBetween(last, at));
            }
            if (last == null || at.isAfter(last)) {
                last = at;
            }
        }

        void step(long step) {
            if (step == cadence) {
                candidate = NONE;
                candidateSteps = 0;
            } else if (step == candidate) {
                if (++candidateSteps >= STEADY_STEPS) {
                    cadence = candidate;
                    candidate = NONE;
                    candidateSteps = 0;
                }
            } else {
                candidate = step;
                candidateSteps = 1;
            }
        }
    }

    private final Map<String, Track> tracks = new HashMap<>();
    private long skipsCalls;

    void observe(List<RawSample> batch) {
        SampleColumns.scan(batch, (index, nodeId, at, statusCode) -> {
            if (!aStep(at, statusCode)) {
                return;
            }
            Track track = tracks.get(nodeId);
            if (track == null) {
                track = new Track();
                tracks.put(nodeId, track);
            }
            track.advance(at);
        });
    }

    /**
     * Cadences from history read apart from the stream (a start's sample of the seconds before it):
     * a node with a steady step among these values takes it as its cadence if it has none yet. The
     * node's newest time stays its stream's: the stream's first values may have come before this
     * older history, and {@link #observe} would skip history older than them.
     *
     * @param history each node's values in time order
     * @return the nodes that got their cadence from it
     */
    Set<String> learn(List<RawSample> history) {
        Map<String, Track> read = new HashMap<>();
        SampleColumns.scan(history, (index, nodeId, at, statusCode) -> {
            if (!aStep(at, statusCode)) {
                return;
            }
            read.computeIfAbsent(nodeId, node -> new Track()).advance(at);
        });
        Set<String> learnt = new HashSet<>();
        read.forEach((nodeId, steps) -> {
            if (steps.cadence != NONE) {
                Track track = tracks.computeIfAbsent(nodeId, node -> new Track());
                if (track.cadence == NONE) {
                    track.cadence = steps.cadence;
                    learnt.add(nodeId);
                }
            }
        });
        return learnt;
    }

    /** The nodes of {@code nodes} without a steady step. */
    Set<String> unknownOf(Set<String> nodes) {
        Set<String> unknown = new HashSet<>();
        for (String node : nodes) {
            if (!known(node)) {
                unknown.add(node);
            }
        }
        return unknown;
    }

    /** Whether the node has a steady step. */
    boolean known(String nodeId) {
        Track track = tracks.get(nodeId);
        return track != null && track.cadence != NONE;
    }

    /** The node's steady step, or null while it has none. */
    Duration of(String nodeId) {
        Track track = tracks.get(nodeId);
        return track == null || track.cadence == NONE ? null : Duration.ofNanos(track.cadence);
    }

    /**
     * Every sample of the batch that lies more than one and a half steps of its node's cadence past
     * the node's newest time before it — its newest forwarded time, or its previous value in the
     * batch — in batch order; empty when the batch skips nothing. A publish can carry several values
     * of a node (a publishing interval longer than its update; a stalled host whose server's first
     * publish held the initial value and the late update): judged against the forwarded time alone,
     * a node's first batch went unjudged and a batch of consecutive slots counted as a skip.
     *
     * @param forwarded per node, the newest forwarded source time, or null; asked once per node
     */
    List<RawSample> skips(List<RawSample> batch, Function<String, Instant> forwarded) {
        List<RawSample> skips = new ArrayList<>(0);
        long call = ++skipsCalls;
        SampleColumns.scan(batch, (index, nodeId, at, statusCode) -> {
            Track track = tracks.get(nodeId);
            if (track == null || track.cadence == NONE || !aStep(at, statusCode)) {
                return;
            }
            Instant last = track.judgedIn == call ? track.judgedUpTo : forwarded.apply(nodeId);
            if (last != null && nanosBetween(last, at) > track.cadence + track.cadence / 2) {
                skips.add(batch.get(index));
            }
            track.judgedIn = call;
            track.judgedUpTo = last == null || at.isAfter(last) ? at : last;
        });
        return skips;
    }

    /** Whether a value counts in its node's steps: it has a source time and its status is not Bad. */
    private static boolean aStep(Instant at, long statusCode) {
        return at != null && (statusCode >>> 30) != 2;
    }

    /** Saturates instead of overflowing (292 years): such a step is never a cadence nor within one. */
    private static long nanosBetween(Instant from, Instant to) {
        long seconds = to.getEpochSecond() - from.getEpochSecond();
        if (Math.abs(seconds) > 9_000_000_000L) {
            return seconds > 0 ? Long.MAX_VALUE / 2 : Long.MIN_VALUE / 2;
        }
        return seconds * 1_000_000_000L + (to.getNano() - from.getNano());
    }
}
