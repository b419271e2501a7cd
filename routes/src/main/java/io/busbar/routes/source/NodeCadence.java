package io.busbar.routes.source;

import io.busbar.mappings.model.RawSample;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per node, the step between consecutive source times of the forwarded live stream, once it has
 * repeated often enough to be the node's cadence (a meter updated every second). A live value
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

    private static final class Track {
        Instant last;
        Duration cadence;
        Duration candidate;
        int candidateSteps;

        void step(Duration step) {
            if (step.equals(cadence)) {
                candidate = null;
                candidateSteps = 0;
            } else if (step.equals(candidate)) {
                if (++candidateSteps >= STEADY_STEPS) {
                    cadence = candidate;
                    candidate = null;
                    candidateSteps = 0;
                }
            } else {
                candidate = step;
                candidateSteps = 1;
            }
        }
    }

    private final Map<String, Track> tracks = new HashMap<>();

    void observe(List<RawSample> batch) {
        for (RawSample sample : batch) {
            Instant at = sample.sourceTime();
            if (at == null || (sample.statusCode() >>> 30) == 2) {
                continue;
            }
            Track track = tracks.computeIfAbsent(sample.nodeId(), node -> new Track());
            if (track.last != null && at.isAfter(track.last)) {
                track.step(Duration.between(track.last, at));
            }
            if (track.last == null || at.isAfter(track.last)) {
                track.last = at;
            }
        }
    }

    /** The node's steady step, or null while it has none. */
    Duration of(String nodeId) {
        Track track = tracks.get(nodeId);
        return track == null ? null : track.cadence;
    }

    /**
     * The first sample of the batch that lies more than one and a half steps of its node's cadence
     * past the node's newest forwarded time, or null when the batch skips nothing.
     */
    RawSample firstSkip(List<RawSample> batch, Map<String, Instant> forwarded) {
        for (RawSample sample : batch) {
            Track track = tracks.get(sample.nodeId());
            Instant last = forwarded.get(sample.nodeId());
            Instant at = sample.sourceTime();
            if (track == null || track.cadence == null || last == null || at == null
                    || (sample.statusCode() >>> 30) == 2) {
                continue;
            }
            Duration allowed = track.cadence.plus(track.cadence.dividedBy(2));
            if (Duration.between(last, at).compareTo(allowed) > 0) {
                return sample;
            }
        }
        return null;
    }
}
