package io.busbar.connectors.opcua;

/** Where an {@link OpcUaSource} stands with its server; the redundancy logic reads it. */
public enum ConnectionState {
    /** Started but never connected yet: the server is being looked for. */
    CONNECTING,
    /** A session is active; subscriptions deliver. */
    CONNECTED,
    /** Not started, stopped, or the connection was lost and is being re-established. */
    DISCONNECTED
}
