package io.busbar.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A TCP port free at the moment of asking, for servers a test, the simulator or the bench starts. */
public final class FreePorts {

    private FreePorts() {
    }

    /** A port free on the loopback address. */
    public static int free() {
        return freeOn("127.0.0.1");
    }

    public static int freeOn(String host) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + host, e);
        }
    }
}
