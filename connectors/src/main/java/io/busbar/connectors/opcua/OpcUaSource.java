package io.busbar.connectors.opcua;

import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.ServerRole;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
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

    private static final Logger LOG = LoggerFactory.getLogger(OpcUaSource.class);

    private final ServerRole role;
    private final OpcUaSourceOptions options;
    private final String name;
    /** When the last subscribed value arrived (local clock); null before the first one. */
    private volatile Instant lastValueAt;
    /** Keeps the session; runs the reconciles on its thread. */
    private final SourceConnection connection;
    private final ServiceLevelWatch serviceLevel;
    /** The ServiceLevel's own subscription, reconciled before the data subscriptions. */
    private final MonitoredSubscription serviceLevelSubscription;
    private final List<MonitoredSubscription> subscriptions = new CopyOnWriteArrayList<>();
    private final List<Runnable> connectionListeners = new CopyOnWriteArrayList<>();
    /** Learnt per session, forgotten with it. */
    private final HistoryNodeLimit historyNodeLimit;
    private final NodesWithoutHistory nodesWithoutHistory;
    /** Reconcile's thread only. */
    private final SessionRenewal sessionRenewal;

    public OpcUaSource(ServerRole role, OpcUaSourceOptions options) {
        this.role = Objects.requireNonNull(role, "role");
        this.options = Objects.requireNonNull(options, "options");
        this.name = role + " " + options.endpointUrl();
        this.connection = new SourceConnection(role, options, name, new ConnectionEvents());
        this.nodesWithoutHistory = new NodesWithoutHistory(name);
        this.serviceLevel = new ServiceLevelWatch(name, role, () -> connection.stopped());
        this.historyNodeLimit = new HistoryNodeLimit(name);
        this.sessionRenewal = new SessionRenewal(options.itemRetryInterval(), options.maxItemRetryInterval());
        this.serviceLevelSubscription = new MonitoredSubscription(
                name, List.of(SERVICE_LEVEL_NODE_ID), serviceLevel::onSamples, this::requestReconcile, options);
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
        connection.start();
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
                name, nodeIds, batch -> deliver(listener, batch), () -> lost(listener), this::requestReconcile, options);
        subscriptions.add(subscription);
        requestReconcile();
        return subscription;
    }

    /** When the last subscribed value arrived (local clock); empty before the first one. */
    public Optional<Instant> lastValueAt() {
        return Optional.ofNullable(lastValueAt);
    }

    /** The server's latest {@code ServiceLevel}, 0..255; empty while not connected or not yet read. */
    public OptionalInt serviceLevel() {
        return serviceLevel.current();
    }

    /** Called with every new {@code ServiceLevel} the server reports. */
    public void addServiceLevelListener(ServiceLevelListener listener) {
        serviceLevel.addListener(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Called on Milo's threads each time the session comes or goes, once {@link #connectionState()}
     * says so: an owner that polls the state can act at once instead of at its next poll (a failover
     * waited up to a selection period for it). Must not block.
     */
    public void addConnectionListener(Runnable listener) {
        connectionListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** How many connection attempts have failed since the start: tells "tried and failed" from "still trying". */
    public long connectFailures() {
        return connection.connectFailures();
    }

    public ConnectionState connectionState() {
        return connection.state();
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
        return historyRead(nodeIds, reader -> reader.readRaw(nodeIds, from, to));
    }

    /**
     * As {@link #historyReadRaw}, but only each node's first {@code perNode} values of {@code [from,
     * to)} (one page, its continuation points released): a sample of a node's history, for its
     * update cadence, at a fraction of the whole window's cost.
     */
    public CompletableFuture<HistoryResult> historyReadFirst(List<String> nodeIds, Instant from, Instant to,
                                                             int perNode) {
        return historyRead(nodeIds, reader -> reader.readFirst(nodeIds, from, to, perNode));
    }

    private CompletableFuture<HistoryResult> historyRead(List<String> nodeIds,
                                                         Function<HistoryReader, CompletableFuture<HistoryResult>> read) {
        nodeIds.forEach(OpcUaSource::parseNodeId);
        OpcUaClient connected = connection.connectedClient();
        if (connected == null) {
            return CompletableFuture.failedFuture(new SourceNotConnectedException(name, connection.state()));
        }
        if (nodeIds.isEmpty()) {
            return CompletableFuture.completedFuture(new HistoryResult(List.of(), Map.of()));
        }
        return historyNodeLimit.of(connected)
                .thenCompose(limit -> read.apply(new HistoryReader(connected, name, options.historyPageSize(), limit)))
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
        OpcUaClient connected = connection.connectedClient();
        if (connected == null) {
            return CompletableFuture.failedFuture(new SourceNotConnectedException(name, connection.state()));
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
        OpcUaClient connected = connection.connectedClient();
        if (connected == null) {
            return CompletableFuture.failedFuture(new SourceNotConnectedException(name, connection.state()));
        }
        return connected.readValuesAsync(0.0, TimestampsToReturn.Both, parsed).thenApply(values -> {
            List<RawSample> samples = new ArrayList<>(values.size());
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
        connection.stop();
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "OpcUaSource[" + name + ", " + connection.state() + "]";
    }

    /** Creates whatever subscriptions and items are missing; runs on the scheduler thread. */
    private void reconcile() {
        OpcUaClient current = connection.connectedClient();
        if (current == null) {
            return;
        }
        long now = System.nanoTime();
        if (sessionRenewal.pending()) {
            // nothing is created on a session about to be closed: it could only leave more behind
            renewSessionIfDue(now);
            return;
        }
        if (!serviceLevel.known()) {
            serviceLevel.read(current);
        }
        List<MonitoredSubscription> all = new ArrayList<>(subscriptions);
        all.add(0, serviceLevelSubscription);
        boolean allInPlace = true;
        for (MonitoredSubscription subscription : all) {
            try {
                subscription.reconcile(current);
            } catch (UncertainSubscriptionException e) {
                sessionRenewal.request("creating a subscription failed as a whole (" + StatusCodeNames.describe(e)
                        + "), the server may hold it under an id this client never learnt");
                renewSessionIfDue(System.nanoTime());
                return;
            } catch (UaException | RuntimeException e) {
                allInPlace = false;
                if (connection.state() == ConnectionState.CONNECTED) {
                    LOG.warn("{}: could not create a subscription ({}), retrying",
                            name, StatusCodeNames.describe(e));
                }
            }
        }
        if (allInPlace) {
            sessionRenewal.settled(now);
        }
    }

    /**
     * A server that fails every creation at once gets a new session only after a doubling delay. A
     * connection lost meanwhile leaves the renewal pending: Milo may reactivate the same session,
     * orphan included, and the reconcile that follows renews it then.
     */
    private void renewSessionIfDue(long now) {
        if (sessionRenewal.due(now) && connection.renewSession(sessionRenewal.reason())) {
            sessionRenewal.renewed(now);
        }
    }

    private void requestReconcile() {
        connection.execute(this::reconcile);
    }

    private void deliver(SampleListener listener, List<RawSample> batch) {
        lastValueAt = Instant.now();
        try {
            listener.onSamples(role, batch);
        } catch (RuntimeException e) {
            LOG.warn("{}: a sample listener failed on a batch of {} values", name, batch.size(), e);
        }
    }

    private void lost(SampleListener listener) {
        try {
            listener.onSamplesLost(role);
        } catch (RuntimeException e) {
            LOG.warn("{}: a sample listener failed on lost samples", name, e);
        }
    }

    private static NodeId parseNodeId(String nodeId) {
        NodeId parsed = NodeId.parseOrNull(Objects.requireNonNull(nodeId, "nodeId"));
        if (parsed == null) {
            throw new IllegalArgumentException("not an OPC UA node id: '" + nodeId + "'");
        }
        return parsed;
    }

    /** The source's part in the session's life: what is learnt per session is forgotten with it. */
    private final class ConnectionEvents implements SourceConnection.Events {

        @Override
        public void onSessionActive() {
            historyNodeLimit.forget();
        }

        @Override
        public void onSessionInactive() {
            serviceLevel.forget();
        }

        @Override
        public void onStateChanged() {
            for (Runnable listener : connectionListeners) {
                try {
                    listener.run();
                } catch (RuntimeException e) {
                    LOG.warn("{}: a connection listener failed", name, e);
                }
            }
        }

        @Override
        public void reconcile() {
            OpcUaSource.this.reconcile();
        }

        @Override
        public void onStopped() {
            serviceLevel.forget();
        }
    }
}
