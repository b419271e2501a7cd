package io.busbar.bootstrap.federation;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A WAN between a site and the central, in the test's JVM: a TCP relay that delays every byte by a
 * one-way latency (order kept), counts the bytes each way, and can be cut the way the internet
 * cuts: silently. While cut, established connections stay open but nothing passes (no FIN, no RST,
 * as when a router drops everything), and new connections are accepted and go nowhere; so the
 * site's bridge must notice by its own failure detection. {@link #restore()} resets what was
 * black-holed and relays again.
 *
 * <p>Alone it stands in for a real link where network namespaces cannot be made (not root, no
 * iproute2); packet loss is then not modelled (TCP hides it as latency). {@link SiteNamespace} gives
 * the real link (a veth pair, loss and cuts in the kernel), with this relay in front of the central
 * for the latency only, as the kernel here has no {@code netem}.
 */
final class WanLink implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final long delayNanos;
    private final ServerSocket listener;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicLong upstreamBytes = new AtomicLong();
    private final AtomicLong downstreamBytes = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private volatile boolean cut;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "wan-link");
        thread.setDaemon(true);
        return thread;
    });

    WanLink(String targetHost, int targetPort, long oneWayLatencyMs) throws IOException {
        this(InetAddress.getLoopbackAddress(), targetHost, targetPort, oneWayLatencyMs);
    }

    /** A relay listening on {@code listenAddress} (a free port), to the target. */
    WanLink(InetAddress listenAddress, String targetHost, int targetPort, long oneWayLatencyMs) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.delayNanos = TimeUnit.MILLISECONDS.toNanos(oneWayLatencyMs);
        this.listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress(listenAddress, 0), 50);
        threads.submit(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Bytes relayed from the client (the site) to the server (the central). */
    long upstreamBytes() {
        return upstreamBytes.get();
    }

    long downstreamBytes() {
        return downstreamBytes.get();
    }

    /** Connections the site opened through the link, black-holed ones included. */
    long connections() {
        return connections.get();
    }

    /** Silence: from now on nothing passes either way and new connections lead nowhere. */
    void cut() {
        cut = true;
    }

    /** Black-holed connections are reset (as a router's state expiring), new ones relay again. */
    void restore() throws IOException {
        cut = false;
        for (Socket socket : sockets) {
            try {
                socket.setSoLinger(true, 0);
                socket.close();
            } catch (IOException alreadyClosed) {
                // its relay ended it
            }
        }
        sockets.clear();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        restore();
        threads.shutdownNow();
    }

    private void accept() {
        try {
            while (!listener.isClosed()) {
                Socket client = listener.accept();
                connections.incrementAndGet();
                sockets.add(client);
                if (cut) {
                    continue; // accepted, never answered: a black hole
                }
                Socket server;
                try {
                    server = new Socket(targetHost, targetPort);
                } catch (IOException e) {
                    client.close();
                    continue;
                }
                sockets.add(server);
                threads.submit(() -> relay(client, server, upstreamBytes));
                threads.submit(() -> relay(server, client, downstreamBytes));
            }
        } catch (IOException closed) {
            // closed
        }
    }

    private record Chunk(long due, byte[] bytes) {
    }

    /** Reads as fast as the sender writes; a second thread writes each chunk once its latency passed. */
    private void relay(Socket from, Socket to, AtomicLong counter) {
        LinkedBlockingQueue<Chunk> inFlight = new LinkedBlockingQueue<>();
        threads.submit(() -> deliver(inFlight, to, counter));
        byte[] buffer = new byte[16384];
        try (InputStream in = from.getInputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                if (!cut) {
                    inFlight.add(new Chunk(System.nanoTime() + delayNanos, java.util.Arrays.copyOf(buffer, read)));
                }
            }
        } catch (IOException closed) {
            // either side went away
        } finally {
            inFlight.add(new Chunk(0, null));
        }
    }

    private void deliver(LinkedBlockingQueue<Chunk> inFlight, Socket to, AtomicLong counter) {
        try (OutputStream out = to.getOutputStream()) {
            while (true) {
                Chunk chunk = inFlight.take();
                if (chunk.bytes() == null) {
                    return;
                }
                long wait = chunk.due() - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                if (cut) {
                    continue; // dropped on the floor
                }
                out.write(chunk.bytes());
                out.flush();
                counter.addAndGet(chunk.bytes().length);
            }
        } catch (IOException | InterruptedException closed) {
            // gone
        } finally {
            try {
                to.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
