package io.busbar.redundancy;

import io.busbar.mappings.model.ServerRole;
import java.util.Optional;

/** The one-word state of a source pair, for the health endpoint. */
public enum PairStatus {

    /** The active server is healthy and the standby, if configured, is connected and could take over. */
    UP,

    /**
     * Readings flow, but without a safety margin: the active server fails a criterion (forced, or
     * the best there is), or the configured standby is not connected (in COLD mode that is normal
     * and does not count).
     */
    DEGRADED,

    /** No server to forward from: readings are not flowing and will have to be backfilled. */
    DOWN;

    /** The status of a pair with {@code current} active (empty: none), judged by both servers' health. */
    static PairStatus of(Optional<ServerRole> current, ServerHealth primary, ServerHealth secondary, RedundancyMode mode) {
        if (current.isEmpty()) {
            return DOWN;
        }
        ServerHealth activeHealth = current.get() == ServerRole.PRIMARY ? primary : secondary;
        ServerHealth standby = current.get() == ServerRole.PRIMARY ? secondary : primary;
        // a cold standby is connected only at a switchover: its absence is the plan, not a degradation
        boolean standbyReady = !standby.configured() || standby.connected() || mode == RedundancyMode.COLD;
        return activeHealth.healthy() && standbyReady ? UP : DEGRADED;
    }
}
