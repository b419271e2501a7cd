package io.busbar.connectors.opcua.browse;

/**
 * Browsing failed: the server could not be reached or refused the session, the root node does not
 * exist, or the max-nodes limit was reached where a complete answer is needed. The message is one
 * line for an operator, without a stack trace.
 */
public final class BrowseException extends Exception {

    public BrowseException(String message) {
        super(message);
    }

    public BrowseException(String message, Throwable cause) {
        super(message, cause);
    }
}
