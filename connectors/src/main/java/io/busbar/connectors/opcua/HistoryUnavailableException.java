package io.busbar.connectors.opcua;

/**
 * The server could not serve a HistoryRead request at all, not even after the retries a transient
 * failure gets ({@code Bad_TooManyOperations}, {@code Bad_Timeout} ...). Nodes the server answered
 * individually, with values or with a status of their own, never cause it: those are in the
 * {@link HistoryResult}.
 */
public final class HistoryUnavailableException extends RuntimeException {

    private final long statusCode;

    HistoryUnavailableException(String source, long statusCode, int attempts, Throwable cause) {
        super(source + ": HistoryRead failed" + (attempts > 1 ? " " + attempts + " times" : "") + " ("
                + StatusCodeNames.describe(cause) + ")", cause);
        this.statusCode = statusCode;
    }

    /** The OPC UA status of the last failure, e.g. {@code Bad_Timeout}; {@code Bad_UnexpectedError} when there was none. */
    public long statusCode() {
        return statusCode;
    }
}
