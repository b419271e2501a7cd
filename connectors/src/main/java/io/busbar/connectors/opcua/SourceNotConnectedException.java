package io.busbar.connectors.opcua;

/** A request to an {@link OpcUaSource} whose server is not connected right now. */
public final class SourceNotConnectedException extends IllegalStateException {

    SourceNotConnectedException(String source, ConnectionState state) {
        super(source + " is not connected (" + state + ")");
    }
}
