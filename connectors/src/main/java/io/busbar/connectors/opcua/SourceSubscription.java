package io.busbar.connectors.opcua;

/** A subscription an {@link OpcUaSource} keeps on its server, across reconnects and restarts. */
public interface SourceSubscription {

    /**
     * Turns publishing on or off (OPC UA SetPublishingMode) while the server keeps sampling: the
     * standby of a warm pair holds its subscription ready this way and is switched on at failover.
     * Applies at once when connected, otherwise when the subscription is (re)created.
     */
    void setPublishing(boolean enabled);
}
