package io.busbar.connectors.opcua;

import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.ServerRole;
import io.busbar.support.DaemonThreads;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.SessionActivityListener;
import org.eclipse.milo.opcua.sdk.client.UaSession;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Busbar's connection to ONE OPC UA server of a redundant pair, driving the Eclipse Milo client
 * directly. The redundancy logic runs one per server and decides which one's values to forward.
 *
 * <p>What it guarantees:
 *
 * <ul>
 *   <li>{@link #start()} never fails because the server is down: it connects in the background and
 *       retries with a doubling delay ({@link OpcUaSourceOptions#retryDelay()} up to {@link
 *       OpcUaSourceOptions#maxRetryDelay()}). Once connected, Milo itself keeps the session alive
 *       and reconnects after a loss (its own delay doubles from 1 s to 16 s).
 *   <li>Subscriptions survive server restarts without manual action: when Milo cannot transfer them
 *       to the new session they are created again. Items the server refuses, or whose node it
 *       reports gone, are created again with back-off ({@link SourceSubscription#deadItems()}).
 *   <li>The server's {@code ServiceLevel} is monitored on its own subscription.
 *   <li>Logs say when the connection comes and goes, at INFO and without stack traces, and never
 *       contain credentials.
 * </ul>
 *
 * <p>A stopped source cannot be started again; create a new one.
 */
public final class OpcUaSource implements AutoCloseable {

    /** {@code Server/ServiceLevel} (ns=0;i=2267). */
    public static final String SERVICE_LEVEL_NODE_ID = NodeIds.Server_ServiceLevel.toParseableString();
    /** {@code Server/ServerCapabilities/OperationLimits/MaxNodesPerHistoryReadData} (ns=0;i=12165). */
    private static final NodeId MAX_NODES_PER_HISTORY_READ_DATA =
            NodeIds.Server_ServerCapabilities_OperationLimits_MaxNodesPerHistoryReadData;

    private static final Logger LOG = LoggerFactory.getLogger(OpcUaSource.class);
    private static final int UNKNOWN_SERVICE_LEVEL = -1;

    private final ServerRole role;
    private final OpcUaSourceOptions options;
    private final String name;
    private final MonitoredSubscription serviceLevelSubscription;
    private final List<MonitoredSubscription> subscriptions = new CopyOnWriteArrayList<>();
    private final List<ServiceLevelListener> serviceLevelListeners = new CopyOnWriteArrayList<>();
    private final AtomicReference<ConnectionState> state = new AtomicReference<>(ConnectionState.DISCONNECTED);
    private final AtomicReference<Instant> lastValueAt = new AtomicReference<>();
    private final AtomicInteger serviceLevel = new AtomicInteger(UNKNOWN_SERVICE_LEVEL);
    /** The server's MaxNodesPerHistoryReadData, 0 for none; read once per session, null until then. */
    private final AtomicReference<CompletableFuture<Integer>> historyNodeLimit = new AtomicReference<>();
    private final NodesWithoutHistory nodesWithoutHistory;
    private final Object lifecycleLock = new Object();
    private final java.util.concurrent.atomic.AtomicLong connectFailures = new java.util.concurrent.atomic.AtomicLong();

    /** Runs connection attempts and reconciles, one at a time; created by {@link #start()}. */
    private ScheduledExecutorService scheduler;
    private ClientFactory clientFactory;
    private volatile OpcUaClient client;
    private volatile boolean stopped;
    /** Touched by the scheduler thread only. */
    private Duration nextRetryDelay;
    private String lastConnectFailure;

    public OpcUaSource(ServerRole role, OpcUaSourceOptions options) {
        this.role = Objects.requireNonNull(role, "role");
        this.options = Objects.requireNonNull(options, "options");
        this.name = role + " " + options.endpointUrl();
        this.nextRetryDelay = options.retryDelay();
        this.nodesWithoutHistory = new NodesWithoutHistory(name);
        this.serviceLevelSubscription = new MonitoredSubscription(
                name, List.of(SERVICE_LEVEL_NODE_ID), this::onServiceLevelSamples, this::requestReconcile, options);
    }

    public ServerRole role() {
        return role;
    }

    public OpcUaSourceOptions options() {
        return options;
    }

    /**
     * Starts connecting in the background and returns at once, also when the server is down. Calling
     * it again has no effect.
     *
     * @throws IllegalStateException if the source was stopped, or a secured source's PKI directory
     *     is unusable
     */
    public void start() {
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
            scheduler.scheduleWithFixedDelay(this::reconcile, retryMillis, retryMillis, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Monitors the value of {@code nodeIds} and hands every publish response's changes to {@code
     * listener}. Works before {@link #start()} and while disconnected; the items are created as soon
     * as a session exists. Node ids the server does not know (yet), or reports gone, are tried again
     * after {@link OpcUaSourceOptions#itemRetryInterval()}, doubling up to {@link
     * OpcUaSourceOptions#maxItemRetryInterval()}. Notifications that say a node is gone reach the
     * listener like any sample, with their status code.
     *
     * @param nodeIds node ids in OPC UA text form, e.g. {@code ns=2;s=Meter001.Energy}
     * @throws IllegalArgumentException if the list is empty or a node id cannot be parsed
     */
    public SourceSubscription subscribe(List<String> nodeIds, SampleListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (nodeIds.isEmpty()) {
            throw new IllegalArgumentException("nodeIds must not be empty");
        }
        nodeIds.forEach(OpcUaSource::parseNodeId);
        MonitoredSubscription subscription = new MonitoredSubscription(
                name, nodeIds, batch -> deliver(listener, batch), this::requestReconcile, options);
        subscriptions.add(subscription);
        requestReconcile();
        return subscription;
    }

    /** How many connection attempts have failed since the start: tells "tried and failed" from "still trying". */
    public long connectFailures() {
        return connectFailures.get();
    }

    public ConnectionState connectionState() {
        return state.get();
    }

    /** When the last subscribed value arrived (local clock); empty before the first one. */
    public Optional<Instant> lastValueAt() {
        return Optional.ofNullable(lastValueAt.get());
    }

    /** The server's latest {@code ServiceLevel}, 0..255; empty while not connected or not yet read. */
    public OptionalInt serviceLevel() {
        int level = serviceLevel.get();
        return level == UNKNOWN_SERVICE_LEVEL ? OptionalInt.empty() : OptionalInt.of(level);
    }

    /** Called with every new {@code ServiceLevel} the server reports. */
    public void addServiceLevelListener(ServiceLevelListener listener) {
        serviceLevelListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Reads the raw history of {@code nodeIds} for {@code [from, to)} (Part 11: {@code to} is
     * excluded), node by node: a node the server keeps no history for costs the others nothing.
     * Requests respect the server's {@code MaxNodesPerHistoryReadData} (read once per session),
     * follow continuation points, and are retried after transient failures ({@code
     * Bad_TooManyOperations}, {@code Bad_Timeout} ...) with a doubling pause, 4 attempts. Nodes
     * refused for good are remembered in {@link #nodesWithoutHistory()} and logged once.
     *
     * @return every node's values in request order, each in time order, and the status of every
     *     node that could not be read; fails with {@link SourceNotConnectedException} if not
     *     connected, with {@link HistoryUnavailableException} if the server could not serve a
     *     request at all
     * @throws IllegalArgumentException if a node id cannot be parsed
     */
    public CompletableFuture<HistoryResult> historyReadRaw(List<String> nodeIds, Instant from, Instant to) {
        nodeIds.forEach(OpcUaSource::parseNodeId);
        OpcUaClient connected = client;
        if (connected == null || state.get() != ConnectionState.CONNECTED) {
            return CompletableFuture.failedFuture(new SourceNotConnectedException(name, state.get()));
        }
        if (nodeIds.isEmpty()) {
            return CompletableFuture.completedFuture(new HistoryResult(List.of(), Map.of()));
        }
        return historyNodeLimit(connected)
                .thenCompose(limit -> new HistoryReader(connected, name, options.historyPageSize(), limit)
                        .readRaw(nodeIds, from, to))
                .whenComplete((result, failure) -> {
                    if (result != null) {
                        nodesWithoutHistory.record(nodeIds, result);
                    }
                });
    }

    /**
     * The nodes this server refuses history for, as learnt from {@link #historyReadRaw}: node id to
     * status (e.g. {@code Bad_HistoryOperationUnsupported}; see {@link StatusCodeNames#describe(long)}),
     * in the order they were found. A node leaves when a later read of it succeeds.
     */
    public Map<String, Long> nodesWithoutHistory() {
        return nodesWithoutHistory.snapshot();
    }

    /** How many items of the data subscriptions are dead: refused by the server, or their node gone. */
    public int deadItems() {
        return subscriptions.stream().mapToInt(MonitoredSubscription::deadItems).sum();
    }

    /** The node ids of the dead items of the data subscriptions, in subscription order. */
    public List<String> deadNodeIds() {
        return subscriptions.stream().flatMap(subscription -> subscription.deadNodeIds().stream()).toList();
    }

    /** How many items the data subscriptions have (the ServiceLevel's own is not counted). */
    public int itemCount() {
        return subscriptions.stream().mapToInt(MonitoredSubscription::itemCount).sum();
    }

    /**
     * Reads the current value of one node, e.g. a role or heartbeat tag.
     *
     * @return the value with both timestamps; fails with {@link SourceNotConnectedException} if not
     *     connected
     */
    public CompletableFuture<RawSample> read(String nodeId) {
        NodeId parsed = parseNodeId(nodeId);
        OpcUaClient connected = client;
        if (connected == null || state.get() != ConnectionState.CONNECTED) {
            return CompletableFuture.failedFuture(new SourceNotConnectedException(name, state.get()));
        }
        return connected.readValuesAsync(0.0, TimestampsToReturn.Both, List.of(parsed))
                .thenApply(values -> DataValues.toRawSample(nodeId, values.get(0)));
    }

    /**
     * Reads the current values of many nodes with one Read request (the polling mode's cycle), with
     * both timestamps: the server's source timestamp stays the reading's time.
     *
     * @return the values in request order; fails with {@link SourceNotConnectedException} if not
     *     connected
     */
    public CompletableFuture<List<RawSample>> readValues(List<String> nodeIds) {
        List<NodeId> parsed = nodeIds.stream().map(OpcUaSource::parseNodeId).toList();
        OpcUaClient connected = client;
        if (connected == null || state.get() != ConnectionState.CONNECTED) {
            return CompletableFuture.failedFuture(new SourceNotConnectedException(name, state.get()));
        }
        return connected.readValuesAsync(0.0, TimestampsToReturn.Both, parsed).thenApply(values -> {
            List<RawSample> samples = new java.util.ArrayList<>(values.size());
            for (int i = 0; i < values.size(); i++) {
                samples.add(DataValues.toRawSample(nodeIds.get(i), values.get(i)));
            }
            return samples;
        });
    }

    /**
     * Closes the session and stops all retries. Safe to call more than once. Waits up to the request
     * timeout for the server to confirm, but not at all when the connection is already lost.
     */
    public void stop() {
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
        serviceLevel.set(UNKNOWN_SERVICE_LEVEL);
        if (closing != null) {
            if (wasConnected) {
                disconnect(closing);
            } else {
                closing.disconnectAsync();
            }
            LOG.info("{}: disconnected", name);
        }
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "OpcUaSource[" + name + ", " + state.get() + "]";
    }

    private void connect() {
        clientFactory.newClient().whenComplete((created, discoveryFailure) -> {
            if (discoveryFailure != null) {
                onConnectFailed(discoveryFailure);
                return;
            }
            created.addSessionActivityListener(new SessionWatcher());
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
        onScheduler(() -> {
            nextRetryDelay = options.retryDelay();
            lastConnectFailure = null;
            reconcile();
        });
    }

    /** Logs the first failure and any change of reason at INFO, repeats at DEBUG; retries later. */
    private void onConnectFailed(Throwable failure) {
        connectFailures.incrementAndGet();
        onScheduler(() -> {
            Duration delay = nextRetryDelay;
            nextRetryDelay = min(delay.multipliedBy(2), options.maxRetryDelay());
            String reason = StatusCodeNames.describe(failure);
            if (!reason.equals(lastConnectFailure)) {
                LOG.info("{}: cannot connect ({}); retrying", name, reason);
                lastConnectFailure = reason;
            } else {
                LOG.debug("{}: cannot connect ({}); retrying in {}", name, reason, delay);
            }
            scheduler.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    /** Creates whatever subscriptions and items are missing; runs on the scheduler thread. */
    private void reconcile() {
        OpcUaClient current = client;
        if (current == null || state.get() != ConnectionState.CONNECTED) {
            return;
        }
        if (serviceLevel.get() == UNKNOWN_SERVICE_LEVEL) {
            readServiceLevel(current);
        }
        List<MonitoredSubscription> all = new ArrayList<>(subscriptions);
        all.add(0, serviceLevelSubscription);
        for (MonitoredSubscription subscription : all) {
            try {
                subscription.reconcile(current);
            } catch (UaException | RuntimeException e) {
                if (state.get() == ConnectionState.CONNECTED) {
                    LOG.warn("{}: could not create a subscription ({}), retrying",
                            name, StatusCodeNames.describe(e));
                }
            }
        }
    }

    /**
     * A subscription that survived a short outage on the same session delivers the service level
     * again only when it changes, so after a loss it is read once directly.
     */
    private void readServiceLevel(OpcUaClient current) {
        current.readValuesAsync(0.0, TimestampsToReturn.Both, List.of(NodeIds.Server_ServiceLevel))
                .thenAccept(values -> onServiceLevelSamples(
                        List.of(DataValues.toRawSample(SERVICE_LEVEL_NODE_ID, values.get(0)))));
    }

    /**
     * The most nodes one HistoryRead may carry, 0 for no limit: the server's {@code
     * MaxNodesPerHistoryReadData}. A server without the property has no limit; a failed read is
     * tried again at the next history read.
     */
    private CompletableFuture<Integer> historyNodeLimit(OpcUaClient connected) {
        CompletableFuture<Integer> known = historyNodeLimit.get();
        if (known != null) {
            return known;
        }
        CompletableFuture<Integer> reading = new CompletableFuture<>();
        if (!historyNodeLimit.compareAndSet(null, reading)) {
            return historyNodeLimit(connected); // another read has begun meanwhile
        }
        connected.readValuesAsync(0.0, TimestampsToReturn.Neither, List.of(MAX_NODES_PER_HISTORY_READ_DATA))
                .whenComplete((values, failure) -> {
                    if (failure != null) {
                        LOG.debug("{}: cannot read MaxNodesPerHistoryReadData ({}), reading without a limit",
                                name, StatusCodeNames.describe(failure));
                        historyNodeLimit.compareAndSet(reading, null);
                        reading.complete(0);
                        return;
                    }
                    Object value = DataValues.toJava(values.get(0).value().value());
                    int limit = value instanceof Number number ? (int) Math.min(number.longValue(), Integer.MAX_VALUE) : 0;
                    LOG.debug("{}: MaxNodesPerHistoryReadData {}", name, limit);
                    reading.complete(Math.max(limit, 0));
                });
        return reading;
    }

    private void requestReconcile() {
        onScheduler(this::reconcile);
    }

    private void onScheduler(Runnable task) {
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

    private void deliver(SampleListener listener, List<RawSample> batch) {
        lastValueAt.set(Instant.now());
        try {
            listener.onSamples(role, batch);
        } catch (RuntimeException e) {
            LOG.warn("{}: a sample listener failed on a batch of {} values", name, batch.size(), e);
        }
    }

    private void onServiceLevelSamples(List<RawSample> batch) {
        RawSample latest = batch.get(batch.size() - 1);
        int level = latest.statusCode() == 0 && latest.value() instanceof Number number
                ? number.intValue()
                : UNKNOWN_SERVICE_LEVEL;
        int previous = serviceLevel.getAndSet(level);
        if (stopped) {
            // a read or notification under way when stop() ran; stop() sets stopped before it
            // clears the level, so one of the two clears it last
            serviceLevel.set(UNKNOWN_SERVICE_LEVEL);
            return;
        }
        if (previous != level && level != UNKNOWN_SERVICE_LEVEL) {
            LOG.info("{}: service level {}", name, level);
            for (ServiceLevelListener listener : serviceLevelListeners) {
                listener.onServiceLevel(role, level);
            }
        }
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

    private static NodeId parseNodeId(String nodeId) {
        NodeId parsed = NodeId.parseOrNull(Objects.requireNonNull(nodeId, "nodeId"));
        if (parsed == null) {
            throw new IllegalArgumentException("not an OPC UA node id: '" + nodeId + "'");
        }
        return parsed;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Follows the session Milo keeps alive: its state is this source's connection state. */
    private final class SessionWatcher implements SessionActivityListener {

        @Override
        public void onSessionActive(UaSession session) {
            if (!stopped) {
                historyNodeLimit.set(null);
                state.set(ConnectionState.CONNECTED);
                LOG.info("{}: connected", name);
                requestReconcile();
            }
        }

        @Override
        public void onSessionInactive(UaSession session) {
            serviceLevel.set(UNKNOWN_SERVICE_LEVEL);
            if (!stopped) {
                state.set(ConnectionState.DISCONNECTED);
                LOG.info("{}: connection lost, reconnecting", name);
            }
        }
    }
}
