package io.busbar.routes.source;

import io.busbar.mappings.RawSample;
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
 * <p>Not thread-safe: owned by the pair's event loop.
 */
final class NodeCadence {

    /** Equal steps in a row before a step counts as the node's cadence. */
    static final int STEADY_STEPS = 3;

    private static final class Track {
        Instant last;
        Duration step;
        int equalSteps;
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
                Duration step = Duration.between(track.last, at);
                if (step.equals(track.step)) {
                    track.equalSteps++;
                } else {
                    track.step = step;
                    track.equalSteps = 1;
                }
            }
            if (track.last == null || at.isAfter(track.last)) {
                track.last = at;
            }
        }
    }

    /** The node's steady step, or null while it has none. */
    Duration of(String nodeId) {
        Track track = tracks.get(nodeId);
        return track == null || track.equalSteps < STEADY_STEPS ? null : track.step;
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
            if (track == null || track.equalSteps < STEADY_STEPS || last == null || at == null
                    || (sample.statusCode() >>> 30) == 2) {
                continue;
            }
            Duration allowed = track.step.plus(track.step.dividedBy(2));
            if (Duration.between(last, at).compareTo(allowed) > 0) {
                return sample;
            }
        }
        return null;
    }
}
