package io.busbar.connectors.opcua;

import io.busbar.support.DaemonThreads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP relay in front of a server that can fall silent: it keeps every connection open but stops
 * passing bytes, like a frozen host or a cut cable. Only keep-alives can notice that.
 */
final class SilenceableProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(DaemonThreads.named("silenceable-proxy"));
    private volatile boolean silent;

    SilenceableProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getByName(targetHost));
        threads.execute(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    void fallSilent() {
        silent = true;
    }

    /** Passes bytes again; what was swallowed meanwhile stays lost. */
    void speakAgain() {
        silent = false;
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        threads.shutdownNow();
    }

    private void accept() {
        try {
            while (!listener.isClosed()) {
                Socket client = listener.accept();
                Socket server = new Socket(targetHost, targetPort);
                sockets.add(client);
                sockets.add(server);
                threads.execute(() -> relay(client, server));
                threads.execute(() -> relay(server, client));
            }
        } catch (IOException closed) {
            // the proxy was closed
        }
    }

    private void relay(Socket from, Socket to) {
        byte[] buffer = new byte[8192];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                if (!silent) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            }
        } catch (IOException closed) {
            // one side closed the connection
        }
    }
}
