package io.busbar.routes;

import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.Reading;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One debug line per stage a publish passes on its way to a target, with the batch's first source
 * time and the wall-clock time, so the latency of a publish can be split into its stages: received
 * from the server, taken by the pair's loop, each slice durable in the buffer, taken by the
 * delivery consumer, confirmed by the target. Off unless {@code logging.level.io.busbar.stages=DEBUG}
 * (the bench's {@code --trace-stages}; {@code bench/stage-trace} summarises the log). A few lines per
 * publish, never one per reading; off, each call costs a level check.
 */
public final class StageTrace {

    private static final Logger log = LoggerFactory.getLogger("io.busbar.stages");

    private StageTrace() {
    }

    /** A server's publish response arrived (on Milo's thread). */
    public static void received(Object role, List<RawSample> batch) {
        if (log.isDebugEnabled() && !batch.isEmpty()) {
            batchStage("received", role, batch.size(), batch.get(0).sourceTime());
        }
    }

    /** The pair's loop took the publish. */
    public static void picked(Object role, List<RawSample> batch) {
        if (log.isDebugEnabled() && !batch.isEmpty()) {
            batchStage("picked", role, batch.size(), batch.get(0).sourceTime());
        }
    }

    /** A slice of what {@code role} sent is committed to the buffer. */
    public static void durable(Object role, List<Reading> readings) {
        if (log.isDebugEnabled() && !readings.isEmpty()) {
            batchStage("durable", role, readings.size(), readings.get(0).sourceTime());
        }
    }

    /** The delivery consumer took buffer messages as one delivery unit. */
    public static void taken(int messages, int readings) {
        if (log.isDebugEnabled()) {
            log.debug("stage=taken messages={} n={} at={}", messages, readings, System.currentTimeMillis());
        }
    }

    /** The target confirmed a delivery unit it was handed at {@code startMs}. */
    public static void delivered(List<Reading> batch, long startMs) {
        if (log.isDebugEnabled() && !batch.isEmpty()) {
            log.debug("stage=delivered n={} source={} start={} at={}", batch.size(), epochMs(batch.get(0).sourceTime()),
                    startMs, System.currentTimeMillis());
        }
    }

    /** Whether the stages are traced: callers skip taking a start time otherwise. */
    public static boolean on() {
        return log.isDebugEnabled();
    }

    /** The line of a stage a server's batch passed: the format bench/stage-trace reads. */
    private static void batchStage(String stage, Object role, int size, Instant firstSourceTime) {
        log.debug("stage={} role={} n={} source={} at={}", stage, role, size, epochMs(firstSourceTime),
                System.currentTimeMillis());
    }

    private static long epochMs(Instant time) {
        return time == null ? 0 : time.toEpochMilli();
    }
}
