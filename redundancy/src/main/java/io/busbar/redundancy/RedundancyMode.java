package io.busbar.redundancy;

/**
 * How the client side of a source pair uses the standby server, after OPC UA Part 4 §6.6.2.4
 * (table 111, non-transparent redundancy). The selection rules of {@link PairSelector} are the same
 * in every mode; the mode tells the OPC UA source how much to prepare on the standby, which sets how
 * long a switchover takes and so how large the gap that history backfill must close.
 */
public enum RedundancyMode {

    /**
     * Both servers connected and sampling; only the active one is forwarded. The fastest switch and
     * the only mode in which the standby's health is known before it is needed.
     */
    HOT,

    /** Session and subscriptions pre-created on the standby but not reporting until a switchover. */
    WARM,

    /**
     * The standby is connected only at a switchover. Cheapest for the servers, slowest switch: the
     * standby's health is unknown until then, so a standby that is not connected is normal here.
     */
    COLD
}
