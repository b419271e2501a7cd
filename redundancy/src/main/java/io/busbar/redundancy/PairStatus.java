package io.busbar.redundancy;

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
    DOWN
}
