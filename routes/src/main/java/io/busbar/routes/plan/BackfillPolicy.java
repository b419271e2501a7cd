package io.busbar.routes.plan;

import java.time.Duration;

/**
 * How gaps are closed from the newly active server's history after a switchover or an outage.
 *
 * @param overlap   read this much before the last forwarded source time; the forward-once gate
 *                  drops what was already forwarded, so the overlap only guards against clock skew
 * @param maxWindow the longest gap read back; anything older is reported as unfilled, never hidden
 * @param standbyWindow how long each server's live values that were not forwarded are kept (a hot
 *                  standby's stream): at a switchover they fill what the new server's history
 *                  lacks. Must cover the time to detect a failure plus the overlap.
 */
public record BackfillPolicy(Duration overlap, Duration maxWindow, Duration standbyWindow) {

    public static final Duration DEFAULT_OVERLAP = Duration.ofSeconds(5);
    public static final Duration DEFAULT_MAX_WINDOW = Duration.ofHours(1);
    /** Covers a keep-alive timeout, the minimum dwell and the overlap with room to spare. */
    public static final Duration DEFAULT_STANDBY_WINDOW = Duration.ofSeconds(60);

    public BackfillPolicy(Duration overlap, Duration maxWindow) {
        this(overlap, maxWindow, DEFAULT_STANDBY_WINDOW);
    }

    public static BackfillPolicy defaults() {
        return new BackfillPolicy(DEFAULT_OVERLAP, DEFAULT_MAX_WINDOW, DEFAULT_STANDBY_WINDOW);
    }
}
