package io.busbar.connectors.opcua;

/** A subscription an {@link OpcUaSource} keeps on its server, across reconnects and restarts. */
public interface SourceSubscription {

    /**
     * Turns publishing on or off (OPC UA SetPublishingMode) while the server keeps sampling: the
     * standby of a warm pair holds its subscription ready this way and is switched on at failover.
     * Applies at once when connected, otherwise when the subscription is (re)created.
     */
    void setPublishing(boolean enabled);

    /**
     * How many of the subscription's monitored items are dead: refused by the server at their last
     * creation, or their node reported gone by a notification ({@code Bad_NodeIdUnknown}, {@code
     * Bad_NodeIdInvalid}, {@code Bad_ObjectDeleted}). Dead items are created again with back-off;
     * the notifications themselves still reach the listener, with their status code.
     */
    default int deadItems() {
        return 0;
    }

    /** How many monitored items the subscription has. */
    default int itemCount() {
        return 0;
    }

    /**
     * Deletes and creates again the items of these nodes at once (no back-off): at a switchover, the
     * newly active server's items that are dead or silent while the partner's same nodes are live.
     * Returns at once and may be called from any thread; the work runs on the source's own thread
     * right after (when disconnected: once connected). Node ids not in the subscription are ignored.
     */
    default void recreateItems(java.util.Collection<String> nodeIds) {
    }

    /** The node ids of the dead items (see {@link #deadItems()}). */
    default java.util.List<String> deadNodeIds() {
        return java.util.List.of();
    }
}
