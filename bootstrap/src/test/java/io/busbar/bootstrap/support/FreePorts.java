package io.busbar.bootstrap.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP port that was free a moment ago, for servers that must be told their port up front; never
 * the same one twice in a JVM. Why: a port handed to a server in another network namespace is free
 * again here, and the kernel gave it out a second time (SiteToCentralNetnsIT: the site's SCADA
 * secondary and its Busbar's HTTP port were both 35827, and that Busbar never started).
 */
public final class FreePorts {

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    public static int next() {
        while (true) {
            int port = probe();
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
    }

    private static int probe() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
