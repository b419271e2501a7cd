package io.busbar.routes.delivery;

import java.time.Instant;

/**
 * One dead-lettered item of a target: a reading the target refused for good, or a buffer message
 * that could not even be read (poison). What the operator sees before replaying or purging.
 *
 * @param payload      the reading as a one-element JSON batch, or the undecodable message bytes
 * @param reason       why, in the target's words
 * @param exception    the exception class behind it
 * @param attempts     delivery attempts made
 * @param firstFailure when delivery first failed
 * @param lastFailure  when it failed for the last time
 */
public record DeadLetter(byte[] payload, String reason, String exception, int attempts, Instant firstFailure,
                         Instant lastFailure) {

    public static final String REASON = "busbarReason";
    public static final String EXCEPTION = "busbarException";
    public static final String ATTEMPTS = "busbarAttempts";
    public static final String FIRST_FAILURE = "busbarFirstFailure";
    public static final String LAST_FAILURE = "busbarLastFailure";
    public static final String TARGET = "busbarTarget";
}
