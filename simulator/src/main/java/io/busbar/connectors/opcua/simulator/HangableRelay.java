package io.busbar.connectors.opcua.simulator;

import io.busbar.support.DaemonThreads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP relay in front of a simulated server that can hang like a stuck server process: while hung
 * it accepts connections and keeps every one open, but passes no byte in either direction, so
 * requests time out and nothing is closed. Bytes that arrive meanwhile are held, not dropped: when
 * the relay goes on, the server reads what the client sent while it hung, as a process that was
 * stuck would.
 *
 * <p>It can also make the server slow ({@link #setAnswerDelay}): every byte from the server reaches
 * the client that much later, as from an overloaded server or a congested link; requests reach the
 * server at once, so the server still sees (and counts) each request when it is sent.
 *
 * <p>Closing the relay, or either end closing its side, closes both sockets of that connection, so a
 * stopped server is seen by its clients as a closed connection, as without the relay.
 */
final class HangableRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HangableRelay.class);
    private static final int BUFFER_BYTES = 16 * 1024;

    private final ServerSocket listener;
    private final InetSocketAddress target;
    /** Every open socket, both ends of every connection. */
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    /** The client ends only. */
    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final ExecutorService threads;
    private final Object gate = new Object();
    private boolean hung;
    private volatile long answerDelayNanos;

    /** Bytes from the server, held until {@code dueNanos} ({@link System#nanoTime()}); empty bytes: the end. */
    private record Chunk(byte[] bytes, long dueNanos) {
    }

    /**
     * Binds {@code host:port} and relays every connection to {@code host:targetPort}.
     *
     * @throws IOException if the port cannot be bound
     */
    HangableRelay(String host, int port, int targetPort, String name, boolean hung) throws IOException {
        this.target = new InetSocketAddress(InetAddress.getByName(host), targetPort);
        this.hung = hung;
        this.threads = Executors.newCachedThreadPool(DaemonThreads.named("busbar-simulator-relay-" + name));
        this.listener = new ServerSocket();
        try {
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(InetAddress.getByName(host), port), 50);
        } catch (IOException e) {
            listener.close();
            threads.shutdownNow();
            throw e;
        }
        threads.execute(this::accept);
    }

    void setHung(boolean hung) {
        synchronized (gate) {
            this.hung = hung;
            gate.notifyAll();
        }
    }

    /** From now on every byte from the server is passed on {@code delay} after it came (zero: at once). */
    void setAnswerDelay(Duration delay) {
        answerDelayNanos = delay.toNanos();
    }

    /** Client connections accepted since the relay was bound. */
    int acceptedConnections() {
        return accepted.get();
    }

    /** Client connections open now. */
    int openConnections() {
        return clients.size();
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            LOG.debug("closing the relay's listener", e);
        }
        sockets.forEach(HangableRelay::closeQuietly);
        threads.shutdownNow();
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException closed) {
                return;
            }
            accepted.incrementAndGet();
            clients.add(client);
            sockets.add(client);
            Socket server = new Socket();
            sockets.add(server);
            threads.execute(() -> {
                try {
                    server.connect(target);
                    server.setTcpNoDelay(true);
                    client.setTcpNoDelay(true);
                    BlockingQueue<Chunk> answers = new LinkedBlockingQueue<>();
                    threads.execute(() -> readAnswers(server, client, answers));
                    threads.execute(() -> passAnswers(answers, server, client));
                    pump(client, server);
                } catch (IOException e) {
                    // the server is not listening (yet): the client sees the connection closed
                    closeBoth(client, server);
                }
            });
        }
    }

    /** Copies bytes until either side closes, holding them while hung; then closes both sockets. */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[BUFFER_BYTES];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int read;
            while ((read = in.read(buffer)) >= 0) {
                awaitNotHung();
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException closed) {
            // one side closed the connection, or the relay was closed
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        } finally {
            closeBoth(from, to);
        }
    }

    /**
     * Reads the server's bytes as they come and queues each chunk with the time it is due: a delay
     * measured from its arrival, not from when the previous chunk was passed on, so a slow server's
     * answers are late by the delay and never by a growing backlog.
     */
    private void readAnswers(Socket server, Socket client, BlockingQueue<Chunk> answers) {
        byte[] buffer = new byte[BUFFER_BYTES];
        try {
            InputStream in = server.getInputStream();
            int read;
            while ((read = in.read(buffer)) >= 0) {
                answers.add(new Chunk(Arrays.copyOf(buffer, read), System.nanoTime() + answerDelayNanos));
            }
        } catch (IOException closed) {
            // one side closed the connection, or the relay was closed
        } finally {
            answers.add(new Chunk(new byte[0], System.nanoTime()));
        }
    }

    /** Passes the queued chunks on in order, each when due and while not hung; then closes both sockets. */
    private void passAnswers(BlockingQueue<Chunk> answers, Socket server, Socket client) {
        try {
            OutputStream out = client.getOutputStream();
            while (true) {
                Chunk chunk = answers.take();
                if (chunk.bytes().length == 0) {
                    return;
                }
                long wait = chunk.dueNanos() - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                awaitNotHung();
                out.write(chunk.bytes());
                out.flush();
            }
        } catch (IOException closed) {
            // one side closed the connection, or the relay was closed
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        } finally {
            closeBoth(server, client);
        }
    }

    private void awaitNotHung() throws InterruptedException {
        synchronized (gate) {
            while (hung) {
                gate.wait();
            }
        }
    }

    private void closeBoth(Socket a, Socket b) {
        for (Socket socket : new Socket[] {a, b}) {
            sockets.remove(socket);
            clients.remove(socket);
            closeQuietly(socket);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
