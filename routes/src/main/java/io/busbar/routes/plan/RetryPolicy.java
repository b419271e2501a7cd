package io.busbar.routes.plan;

import java.time.Duration;

/**
 * How a failing delivery is retried: in order, in place, with exponential back-off.
 *
 * @param initial    the first delay
 * @param multiplier each further delay is this much longer
 * @param max        the longest delay
 * @param jitter     random spread of each delay as a fraction, so many instances do not retry in step
 */
public record RetryPolicy(Duration initial, double multiplier, Duration max, double jitter) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofMillis(500), 2, Duration.ofSeconds(30), 0.2);
}
