package io.busbar.routes.uplink;

import java.time.Instant;
import java.util.Optional;

/**
 * What health shows of an uplink source.
 *
 * @param connected    the broker connection is up
 * @param lastUplink   when the last uplink arrived (Busbar's clock: this is about the link, not a reading)
 * @param uplinks      uplinks made durable (or dead-lettered) since start
 * @param perSecond    uplinks per second over the last minute
 * @param readings     readings handed to the buffer
 * @param duplicates   readings dropped because a reading with the same key was already buffered
 * @param deadLetters  uplinks, or registers of uplinks, sent to the dead letters
 * @param lastError    the last connection or ingest error, if any
 * @param silent       the mapped devices that have not reported for their expected interval; empty when
 *                     the source has no {@code expected-interval}
 */
public record UplinkSourceStatus(boolean connected, Optional<Instant> lastUplink, long uplinks, double perSecond,
                                 long readings, long duplicates, long deadLetters, Optional<String> lastError,
                                 Optional<SilentDevices> silent) {

    /** A source that does not watch for silent devices. */
    public UplinkSourceStatus(boolean connected, Optional<Instant> lastUplink, long uplinks, double perSecond,
                              long readings, long duplicates, long deadLetters, Optional<String> lastError) {
        this(connected, lastUplink, uplinks, perSecond, readings, duplicates, deadLetters, lastError, Optional.empty());
    }
}
