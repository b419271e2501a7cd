package io.busbar.connectors.poll;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How a polled source is read, the way the energy-accounting practice does it: every {@code cycle}
 * one round of reads; a read that has no answer within {@code timeout} is tried again after {@code
 * wait}, up to {@code retries} more times; a cycle whose reads all failed that way makes the server
 * (or gateway) "connection lost" for the pair's health and its selector, until a cycle succeeds again.
 *
 * <p>Cycles are aligned to the clock ({@link #slotOf}): a 10 s cycle polls at :00, :10, :20 ... on
 * both servers of a pair, so that a source without timestamps of its own (Modbus) gets the same
 * reading key from either.
 *
 * @param cycle   how often to poll, e.g. 15 min for billing registers, 1 s for power
 * @param timeout how long one read may take before it counts as failed
 * @param retryWait the pause before the next try of a failed read
 * @param retries how many times a failed read is tried again within the cycle
 */
public record PollCycle(Duration cycle, Duration timeout, Duration retryWait, int retries) {

    public static final Duration DEFAULT_CYCLE = Duration.ofSeconds(10);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration DEFAULT_WAIT = Duration.ofMillis(200);
    public static final int DEFAULT_RETRIES = 2;

    public PollCycle {
        Objects.requireNonNull(cycle, "cycle");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(retryWait, "retryWait");
        if (cycle.toMillis() < 1 || timeout.toMillis() < 1 || retryWait.isNegative() || retries < 0) {
            throw new IllegalArgumentException("cycle and timeout must be positive, wait and retries not negative");
        }
    }

    public static PollCycle defaults() {
        return new PollCycle(DEFAULT_CYCLE, DEFAULT_TIMEOUT, DEFAULT_WAIT, DEFAULT_RETRIES);
    }

    /** The start of the cycle slot {@code at} falls in (slots are whole multiples of the cycle since the epoch). */
    public Instant slotOf(Instant at) {
        long millis = cycle.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(at.toEpochMilli(), millis) * millis);
    }

    /** The start of the next slot after {@code at}. */
    public Instant nextSlot(Instant at) {
        return slotOf(at).plus(cycle);
    }

    /** The longest one cycle's reads may take with every try timing out. */
    public Duration worstCase() {
        return timeout.multipliedBy(retries + 1L).plus(retryWait.multipliedBy(retries));
    }
}
