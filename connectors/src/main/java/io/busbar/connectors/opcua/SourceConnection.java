package io.busbar.connectors.opcua;

import io.busbar.mappings.model.ServerRole;
import io.busbar.support.DaemonThreads;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.SessionActivityListener;
import org.eclipse.milo.opcua.sdk.client.UaSession;
import org.eclipse.milo.opcua.sdk.client.session.SessionFsm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session of an {@link OpcUaSource} to its server: connects in the background, retries with a
 * doubling delay ({@link ConnectRetry}) until the first session, then follows the session Milo keeps
 * alive. One scheduler thread runs the connection attempts and the source's reconciles, one at a time.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #stop()} once (more calls have no effect); a stopped
 * connection cannot be started again.
 */
final class SourceConnection {

    /** What the source does when the session comes and goes; called on Milo's or the scheduler's threads. */
    interface Events {
        /** A session is active (the first, or one Milo reconnected). */
        void onSessionActive();

        /** The session was lost; Milo reconnects. */
        void onSessionInactive();

        /** The connection state changed (after {@link #onSessionActive} or {@link #onSessionInactive}), and reads so. */
        default void onStateChanged() {
        }

        /** Runs on the scheduler thread: after each connection, and every {@code itemRetryInterval}. */
        void reconcile();

        /** {@link #stop()} has marked the connection stopped, before the session is closed. */
        void onStopped();
    }

    /** Logged as the source, whose part this is. */
    private static final Logger LOG = LoggerFactory.getLogger(OpcUaSource.class);

    private final ServerRole role;
    private final OpcUaSourceOptions options;
    private final String name;
    private final Events events;
    private final ConnectRetry retry;
    private final AtomicReference<ConnectionState> state = new AtomicReference<>(ConnectionState.DISCONNECTED);
    private final Object lifecycleLock = new Object();

    /** Runs connection attempts and reconciles, one at a time; created by {@link #start()}. */
    private ScheduledExecutorService scheduler;
    private ClientFactory clientFactory;
    private volatile OpcUaClient client;
    private volatile boolean stopped;
    /** Set by {@link #renewSession} until the new session is active: the old one's end is no connection loss. */
    private volatile boolean renewing;

    /** @param name the source's name in logs: role and endpoint */
    SourceConnection(ServerRole role, OpcUaSourceOptions options, String name, Events events) {
        this.retry = new ConnectRetry(name, options);
        this.events = events;
        this.name = name;
        this.options = options;
        this.role = role;
    }

    /** @throws IllegalStateException if stopped, or a secured source's PKI directory is unusable */
    void start() {
        synchronized (lifecycleLock) {
            if (stopped) {
                throw new IllegalStateException(name + " was stopped; create a new source");
            }
            if (scheduler != null) {
                return;
            }
            clientFactory = new ClientFactory(options, "busbar-" + role.wireName());
            scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("busbar-opcua-" + role.wireName()));
            state.set(ConnectionState.CONNECTING);
            long retryMillis = options.itemRetryInterval().toMillis();
            scheduler.execute(this::connect);
            scheduler.scheduleWithFixedDelay(events::reconcile, retryMillis, retryMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** The client while a session is active; null otherwise. */
    OpcUaClient connectedClient() {
        OpcUaClient current = client;
        return current == null || state.get() != ConnectionState.CONNECTED ? null : current;
    }

    ConnectionState state() {
        return state.get();
    }

    boolean stopped() {
        return stopped;
    }

    long connectFailures() {
        return retry.failures();
    }

    /** Runs {@code task} on the scheduler thread; dropped before {@link #start()} and after {@link #stop()}. */
    void execute(Runnable task) {
        ScheduledExecutorService current;
        synchronized (lifecycleLock) {
            current = scheduler;
        }
        if (current != null && !stopped) {
            try {
                current.execute(task);
            } catch (RejectedExecutionException e) {
                LOG.debug("{}: stopped, dropping a task", name);
            }
        }
    }

    /**
     * Closes the session and stops all retries. Waits up to the request timeout for the server to
     * confirm, but not at all when the connection is already lost.
     */
    void stop() {
        OpcUaClient closing;
        synchronized (lifecycleLock) {
            if (stopped) {
                return;
            }
            stopped = true;
            if (scheduler != null) {
                scheduler.shutdownNow();
            }
            closing = client;
            client = null;
        }
        if (clientFactory != null) {
            clientFactory.close();
        }
        boolean wasConnected = state.getAndSet(ConnectionState.DISCONNECTED) == ConnectionState.CONNECTED;
        events.onStopped();
        if (closing != null) {
            if (wasConnected) {
                disconnect(closing);
            } else {
                closing.disconnectAsync();
            }
            LOG.info("{}: disconnected", name);
        }
    }

    /**
     * Closes the session, which makes the server delete every subscription it holds for it, those
     * this client knows and those it does not, and opens a new one on the same connection. Milo
     * then fails to transfer the known subscriptions and resets them ({@code onTransferFailed}),
     * so the source creates them again, like after a server restart; the pair backfills the gap
     * as after any reconnect. Returns at once.
     *
     * @param why the one line logged, what made the session suspect
     * @return false if not connected: nothing was done (Milo may yet reactivate that session)
     */
    boolean renewSession(String why) {
        OpcUaClient current = connectedClient();
        if (current == null) {
            return false;
        }
        LOG.info("{}: {}; closing the session (the server deletes its subscriptions with it) and opening a new one",
                name, why);
        renewing = true;
        SessionFsm session = current.getSessionFsm();
        // closeSession completes also when the server did not answer: its old session then times
        // out, and nobody's publish requests keep its subscriptions alive meanwhile
        session.closeSession()
                .handle((closed, failure) -> session.openSession())
                .thenCompose(opening -> opening)
                .whenComplete((opened, failure) -> {
                    if (failure != null) {
                        // Milo goes on trying to create a session, as after a connection loss
                        LOG.debug("{}: opening a new session failed ({})", name, StatusCodeNames.describe(failure));
                    }
                });
        return true;
    }

    private void connect() {
        clientFactory.newClient().whenComplete((created, discoveryFailure) -> {
            if (discoveryFailure != null) {
                onConnectFailed(discoveryFailure);
                return;
            }
            created.addSessionActivityListener(new SessionWatcher(created));
            created.connectAsync().whenComplete((connected, failure) -> {
                if (failure != null) {
                    created.disconnectAsync();
                    onConnectFailed(failure);
                } else {
                    onConnected(created);
                }
            });
        });
    }

    private void onConnected(OpcUaClient connected) {
        synchronized (lifecycleLock) {
            if (stopped) {
                connected.disconnectAsync();
                return;
            }
            client = connected;
        }
        execute(() -> {
            retry.reset();
            events.reconcile();
        });
    }

    /** Logs the failure (see {@link ConnectRetry}) and tries again later. */
    private void onConnectFailed(Throwable failure) {
        retry.count();
        execute(() -> {
            Duration delay = retry.afterFailure(failure);
            scheduler.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    private void disconnect(OpcUaClient closing) {
        try {
            closing.disconnectAsync().get(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("{}: disconnect did not complete cleanly ({})", name, StatusCodeNames.describe(e));
        }
    }

    /** Follows the session Milo keeps alive: its state is this source's connection state. */
    private final class SessionWatcher implements SessionActivityListener {

        private final OpcUaClient watched;

        SessionWatcher(OpcUaClient watched) {
            this.watched = watched;
        }

        @Override
        public void onSessionActive(UaSession session) {
            synchronized (lifecycleLock) {
                if (stopped) {
                    return;
                }
                // Milo reports the session before connectAsync completes: requests made on seeing
                // CONNECTED must find the client already
                client = watched;
            }
            renewing = false;
            events.onSessionActive();
            state.set(ConnectionState.CONNECTED);
            LOG.info("{}: connected", name);
            events.onStateChanged();
            execute(events::reconcile);
        }

        @Override
        public void onSessionInactive(UaSession session) {
            events.onSessionInactive();
            if (!stopped) {
                state.set(ConnectionState.DISCONNECTED);
                if (!renewing) {
                    LOG.info("{}: connection lost, reconnecting", name);
                }
                events.onStateChanged();
            }
        }
    }
}
