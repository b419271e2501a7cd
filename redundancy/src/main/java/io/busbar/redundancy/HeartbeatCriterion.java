package io.busbar.redundancy;

import java.time.Duration;
import java.util.Objects;

/**
 * A node whose value the server must keep changing (a counter or a clock written by the SCADA
 * runtime). A server can stay connected, with a fine ServiceLevel, while its runtime is hung; a
 * heartbeat that stopped changing is how that shows.
 *
 * @param nodeId  the heartbeat node, in parseable form ({@code ns=2;s=Heartbeat})
 * @param timeout how long the value may stay unchanged before the server is unhealthy; also the
 *                grace given after a (re)connection before the heartbeat is judged. Positive.
 */
public record HeartbeatCriterion(String nodeId, Duration timeout) {

    public HeartbeatCriterion {
        HealthCriteria.requireNonBlank(nodeId, "heartbeat nodeId");
        Objects.requireNonNull(timeout, "heartbeat timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("heartbeat timeout must be positive, was " + timeout);
        }
    }
}
