package io.busbar.connectors.uplink;

/** An uplink that cannot be read: the reason goes with it to the source's dead letters. */
public final class BadUplinkException extends Exception {

    public BadUplinkException(String reason) {
        super(reason);
    }
}
