package io.busbar.redundancy;

import io.busbar.mappings.model.ServerRole;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable snapshot of one source pair, taken in one go so the parts agree with each other; what
 * the health endpoint shows.
 *
 * @param pair           the source pair's name
 * @param mode           how the standby is used
 * @param active         the server forwarded from; empty when none is usable
 * @param forced         the operator's override, {@link Force#AUTO} when none
 * @param primary        the primary's health
 * @param secondary      the secondary's health ("no secondary configured" when there is none)
 * @param switchovers    how many times the active server changed since start, the first selection
 *                       included
 * @param lastSwitchover the latest of them
 * @param status         UP, DEGRADED or DOWN
 */
public record PairState(
        String pair,
        RedundancyMode mode,
        Optional<ServerRole> active,
        Force forced,
        ServerHealth primary,
        ServerHealth secondary,
        long switchovers,
        Optional<Switchover> lastSwitchover,
        PairStatus status) {

    public PairState {
        Objects.requireNonNull(pair, "pair");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(active, "active");
        Objects.requireNonNull(forced, "forced");
        Objects.requireNonNull(primary, "primary");
        Objects.requireNonNull(secondary, "secondary");
        Objects.requireNonNull(lastSwitchover, "lastSwitchover");
        Objects.requireNonNull(status, "status");
    }

    /** The health of the given server. */
    public ServerHealth health(ServerRole role) {
        return role == ServerRole.PRIMARY ? primary : secondary;
    }
}
