package io.busbar.connectors.support;

import io.busbar.support.DaemonThreads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A TCP relay in front of a real server that can be taken down and brought back on the same port:
 * {@link #stop()} closes the listening socket and every relayed connection (clients see a reset
 * and then a refused connection, as when the server process dies); {@link #start()} listens again.
 * Used where the server itself is shared by the machine and must not be stopped.
 *
 * <p>{@link #stop()} returns only when the accepting and relaying threads have ended: a socket
 * closed while another thread is blocked on it is released by the kernel only when that thread
 * leaves its system call, and until then it still accepts and relays (a test that sends right
 * after {@code stop()} reached the server through a "stopped" proxy one time in three).
 */
public final class TcpProxy implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Future<?>> relays = new CopyOnWriteArrayList<>();
    private volatile Future<?> acceptor;
    private final ExecutorService threads = Executors.newCachedThreadPool(DaemonThreads.named("tcp-proxy"));
    private volatile ServerSocket listener;

    public TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.listener = listen(0);
        this.port = listener.getLocalPort();
        ServerSocket first = listener;
        this.acceptor = threads.submit(() -> accept(first));
    }

    public int port() {
        return port;
    }

    /** Down: no new connections, existing ones reset; returns when nothing is relayed any more. */
    public synchronized void stop() throws IOException {
        listener.close();
        awaitEnd(acceptor); // from here on no connection is added
        for (Socket socket : sockets) {
            reset(socket);
        }
        sockets.clear();
        for (Future<?> relay : relays) {
            awaitEnd(relay);
        }
        relays.clear();
    }

    private static void awaitEnd(Future<?> task) throws IOException {
        try {
            task.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the proxy", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("proxy thread did not end", e);
        }
    }

    /** As a dying process: RST, not FIN, so the peer cannot mistake it for a polite close. */
    private static void reset(Socket socket) throws IOException {
        try {
            socket.setSoLinger(true, 0);
        } catch (java.net.SocketException alreadyClosedByItsRelay) {
            return;
        }
        socket.close();
    }

    /** Up again on the same port. */
    public synchronized void start() throws IOException {
        if (!listener.isClosed()) {
            return;
        }
        ServerSocket reopened = listen(port);
        listener = reopened;
        acceptor = threads.submit(() -> accept(reopened));
    }

    @Override
    public void close() throws IOException {
        stop();
        threads.shutdownNow();
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        return socket;
    }

    private void accept(ServerSocket from) {
        try {
            while (!from.isClosed()) {
                Socket client = from.accept();
                Socket server;
                try {
                    server = new Socket(targetHost, targetPort);
                } catch (IOException e) {
                    client.close();
                    continue;
                }
                sockets.add(client);
                sockets.add(server);
                relays.add(threads.submit(() -> relay(client, server)));
                relays.add(threads.submit(() -> relay(server, client)));
            }
        } catch (IOException closed) {
            // stopped
        }
    }

    private static void relay(Socket from, Socket to) {
        byte[] buffer = new byte[16384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException closed) {
            // either side went away
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
