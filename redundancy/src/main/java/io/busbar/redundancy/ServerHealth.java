package io.busbar.redundancy;

import io.busbar.mappings.model.ServerRole;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One server of a pair as judged at a moment against the pair's {@link HealthCriteria}.
 *
 * @param role             primary or secondary
 * @param configured       false when the pair has no such server
 * @param connected        the session is up
 * @param serviceLevel     the server's latest ServiceLevel (0 maintenance, 1 no data, 2–199
 *                         degraded, 200–255 healthy); empty while unknown
 * @param lastValueAt      when the latest sample of any node arrived from it
 * @param healthy          it meets every criterion
 * @param reason           "healthy", or the first criterion it fails, e.g. "service level 150 below
 *                         200"
 * @param newestSourceTime the newest source time of its meter nodes' samples (the server's clock)
 * @param stale            connected, but its source times stand still (see {@link HealthCriteria});
 *                         the reason says for how long, unless an earlier criterion fails as well
 * @param deadItems        how many of its monitored items are dead, as last reported
 * @param items            how many monitored items it should have, as last reported; 0 before the
 *                         first report
 */
public record ServerHealth(
        ServerRole role,
        boolean configured,
        boolean connected,
        OptionalInt serviceLevel,
        Optional<Instant> lastValueAt,
        boolean healthy,
        String reason,
        Optional<Instant> newestSourceTime,
        boolean stale,
        int deadItems,
        int items) {

    public ServerHealth {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(serviceLevel, "serviceLevel");
        Objects.requireNonNull(lastValueAt, "lastValueAt");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(newestSourceTime, "newestSourceTime");
    }

    /** A server nothing is known about beyond its connection, ServiceLevel and last value. */
    public ServerHealth(ServerRole role, boolean configured, boolean connected, OptionalInt serviceLevel,
                        Optional<Instant> lastValueAt, boolean healthy, String reason) {
        this(role, configured, connected, serviceLevel, lastValueAt, healthy, reason, Optional.empty(), false, 0, 0);
    }
}
