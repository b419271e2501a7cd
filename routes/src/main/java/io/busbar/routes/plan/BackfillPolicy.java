package io.busbar.routes.plan;

import java.time.Duration;

/**
 * How gaps are closed from the newly active server's history after a switchover or an outage.
 *
 * @param overlap   read this much before the last forwarded source time; the forward-once gate
 *                  drops what was already forwarded, so the overlap only guards against clock skew
 * @param maxWindow the longest gap read back; anything older is reported as unfilled, never hidden
 */
public record BackfillPolicy(Duration overlap, Duration maxWindow) {

    public static final Duration DEFAULT_OVERLAP = Duration.ofSeconds(5);
    public static final Duration DEFAULT_MAX_WINDOW = Duration.ofHours(1);

    public static BackfillPolicy defaults() {
        return new BackfillPolicy(DEFAULT_OVERLAP, DEFAULT_MAX_WINDOW);
    }
}
