package io.busbar.redundancy;

import io.busbar.mappings.ServerRole;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One server of a pair as judged at a moment against the pair's {@link HealthCriteria}.
 *
 * @param role         primary or secondary
 * @param configured   false when the pair has no such server
 * @param connected    the session is up
 * @param serviceLevel the server's latest ServiceLevel (0 maintenance, 1 no data, 2–199 degraded,
 *                     200–255 healthy); empty while unknown
 * @param lastValueAt  when the latest sample of any node arrived from it
 * @param healthy      it meets every criterion
 * @param reason       "healthy", or the first criterion it fails, e.g. "service level 150 below 200"
 */
public record ServerHealth(
        ServerRole role,
        boolean configured,
        boolean connected,
        OptionalInt serviceLevel,
        Optional<Instant> lastValueAt,
        boolean healthy,
        String reason) {

    public ServerHealth {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(serviceLevel, "serviceLevel");
        Objects.requireNonNull(lastValueAt, "lastValueAt");
        Objects.requireNonNull(reason, "reason");
    }
}
