package io.busbar.connectors.target;

import java.time.Duration;
import java.util.Optional;

/**
 * A transient failure where the target said when to come back (HTTP {@code Retry-After} on 429 or
 * 503). Like any exception other than {@link RejectedReadingsException} it means "not delivered,
 * retry the whole batch"; {@link #retryAfter()} is the target's own hint, which a caller may use
 * as the lower bound of its next back-off delay.
 */
public class RetryLaterException extends Exception {

    private final transient Duration retryAfter;

    public RetryLaterException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    public RetryLaterException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    /** How long the target asked to wait, when it said so. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
