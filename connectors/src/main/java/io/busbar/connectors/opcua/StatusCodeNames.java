package io.busbar.connectors.opcua;

import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;

/** Turns status codes and failures into the short text operators see in logs and errors. */
public final class StatusCodeNames {

    private StatusCodeNames() {}

    /** {@code Bad_NodeIdUnknown}, or the hex code when Milo does not know it. */
    public static String describe(long statusCode) {
        return StatusCodes.lookup(statusCode)
                .map(nameAndDescription -> nameAndDescription[0])
                .orElse(String.format(Locale.ROOT, "0x%08X", statusCode));
    }

    /**
     * One line for a failure, without a stack trace: the OPC UA status when there is one, else the
     * root cause message. Expected failures such as a server being down are logged this way.
     */
    public static String describe(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof TimeoutException) {
            return "no answer in time";
        }
        String detail = rootDetail(cause);
        return UaException.extract(cause)
                .map(e -> describe(e.getStatusCode().value()) + (detail != null ? ": " + detail : ""))
                .orElseGet(() -> cause.getClass().getSimpleName() + (detail != null ? ": " + detail : ""));
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** The root cause's message, unless it is Milo's generated "status=..." text. */
    private static String rootDetail(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root instanceof UaException && message != null && message.startsWith("status=") ? null : message;
    }
}
