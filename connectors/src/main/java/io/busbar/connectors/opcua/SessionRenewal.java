package io.busbar.connectors.opcua;

import java.time.Duration;

/**
 * When the source closes its session and opens a new one to rid the server of subscriptions it
 * cannot see ({@link UncertainSubscriptionException}): the first time at once, then after a delay
 * that doubles with every renewal not followed by a reconcile that created everything, so a server
 * that fails every creation is not asked for a session after session. Owner's thread only.
 */
final class SessionRenewal {

    private final Backoff backoff;
    /** Why the session is to be renewed; null when it is not. */
    private String reason;
    private int renewalsInARow;
    /** System.nanoTime() from which the next renewal may run. */
    private long notBefore = System.nanoTime();

    SessionRenewal(Duration first, Duration max) {
        this.backoff = new Backoff(first, max);
    }

    /** Asks for a renewal; a renewal already asked for keeps its reason. */
    void request(String why) {
        if (reason == null) {
            reason = why;
        }
    }

    /** Whether a renewal was asked for and has not run yet: nothing is created on the current session meanwhile. */
    boolean pending() {
        return reason != null;
    }

    String reason() {
        return reason;
    }

    boolean due(long now) {
        return pending() && now - notBefore >= 0;
    }

    /** The session was renewed just now. */
    void renewed(long now) {
        renewalsInARow++;
        notBefore = now + backoff.after(renewalsInARow).toNanos();
        reason = null;
    }

    /** A reconcile created everything: the next renewal, if ever, runs at once again. */
    void settled(long now) {
        renewalsInARow = 0;
        notBefore = now;
    }
}
