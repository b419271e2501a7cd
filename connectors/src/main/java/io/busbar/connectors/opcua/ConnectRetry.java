package io.busbar.connectors.opcua;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delay before the next connection attempt, doubling from {@link OpcUaSourceOptions#retryDelay()}
 * up to {@link OpcUaSourceOptions#maxRetryDelay()}, and the log of failed attempts: the first failure
 * and any change of reason at INFO, repeats at DEBUG. Touched by the source's scheduler thread only,
 * but for the count.
 */
final class ConnectRetry {

    /** Logged as the source, whose part this is. */
    private static final Logger LOG = LoggerFactory.getLogger(OpcUaSource.class);

    private final String name;
    private final OpcUaSourceOptions options;
    private final AtomicLong failures = new AtomicLong();
    private Duration nextDelay;
    private String lastFailure;

    ConnectRetry(String name, OpcUaSourceOptions options) {
        this.name = name;
        this.options = options;
        this.nextDelay = options.retryDelay();
    }

    /** Counts a failed attempt; any thread. */
    void count() {
        failures.incrementAndGet();
    }

    long failures() {
        return failures.get();
    }

    /** Connected: the next loss starts from the first delay again. */
    void reset() {
        nextDelay = options.retryDelay();
        lastFailure = null;
    }

    /** Logs the failure and returns how long to wait before the next attempt. */
    Duration afterFailure(Throwable failure) {
        Duration delay = nextDelay;
        Duration doubled = delay.multipliedBy(2);
        nextDelay = doubled.compareTo(options.maxRetryDelay()) <= 0 ? doubled : options.maxRetryDelay();
        String reason = StatusCodeNames.describe(failure);
        if (!reason.equals(lastFailure)) {
            LOG.info("{}: cannot connect ({}); retrying", name, reason);
            lastFailure = reason;
        } else {
            LOG.debug("{}: cannot connect ({}); retrying in {}", name, reason, delay);
        }
        return delay;
    }
}
