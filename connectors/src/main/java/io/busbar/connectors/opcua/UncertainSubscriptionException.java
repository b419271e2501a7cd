package io.busbar.connectors.opcua;

import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.UaServiceFaultException;

/**
 * A CreateSubscription failed as a whole (timed out, connection lost): the server may have created
 * the subscription all the same, under an id this client never learnt. It stays in the session,
 * kept alive by the session's publish requests, and counts against the server's
 * subscriptions-per-session quota: only closing the session rids the server of it.
 */
final class UncertainSubscriptionException extends UaException {

    private static final long serialVersionUID = 1L;

    UncertainSubscriptionException(UaException failure) {
        super(failure.getStatusCode().value(), failure);
    }

    /**
     * Whether a failed CreateSubscription may have created one: a fault the server sent says it
     * created nothing, and without a session the request was never sent.
     */
    static boolean mayHaveCreated(UaException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof UaServiceFaultException) {
                return false;
            }
        }
        long status = failure.getStatusCode().value();
        return status != StatusCodes.Bad_SessionClosed && status != StatusCodes.Bad_SessionNotActivated;
    }
}
