package io.busbar.connectors.opcua.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadDetails;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadResult;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadRawModifiedDetails;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;

/**
 * The simulator's address space (namespace index 2): {@code Objects/Meters/MeterNNN/{Energy,Power}}.
 * It publishes every meter's values for a given second and answers HistoryRead for them.
 *
 * <p>Milo only samples monitored items whose namespace forwards the data-item callbacks to a {@link
 * SubscriptionModel}; without the four overrides below subscriptions would never see a value.
 *
 * <p>The meter nodes can be deleted and created again ({@link #removeMeters}, {@link #addMeters}).
 * Items sampled by the subscription model then read {@code Bad_NodeIdUnknown} while the nodes are
 * gone and the new nodes' values afterwards, because Milo samples by node id. Items whose updates are
 * pushed are handed {@code Bad_NodeIdUnknown} at the deletion; with {@link
 * SimulatedScadaServer.NodeChurn#ITEMS_STAY_DEAD} they are forgotten then, so they never get a value
 * again, like an item of a server that binds items to node objects.
 */
final class MeterNamespace extends PlainNamespace {

    private final SubscriptionModel subscriptionModel;
    /** Null when the server simulates a SCADA server without history. */
    private final MeterHistory history;
    /** Which meter variables (by node id text) the server historizes; the others answer Bad. */
    private final Predicate<String> historized;
    private final SimulatedScadaServer.NodeChurn churn;
    /** Meter variables whose live value is not updated (a broken driver point); shared with the server. */
    private final Set<NodeId> liveUpdatesDropped;
    private final java.util.Queue<Instant> meterReads;
    private final java.time.Clock clock;
    private final Map<NodeId, MeterSignal> signals = new ConcurrentHashMap<>();
    private final Map<MeterSignal, UaVariableNode> nodes = new ConcurrentHashMap<>();
    private final Map<Integer, UaFolderNode> meterFolders = new ConcurrentHashMap<>();
    /**
     * The monitored items of each meter variable's value, handed every update directly instead of
     * being sampled; null when sampling (the default).
     */
    private final Map<NodeId, Set<DataItem>> pushedItems;
    /** Keeps an item's first value (pushed at creation) from overtaking an update being published. */
    private final Object publishLock = new Object();
    /** How long creating a batch of items takes; see {@link FaultControls#createItemsSlowly}. */
    volatile Duration itemCreationDelay = Duration.ZERO;
    /** How long a HistoryRead takes; see {@link FaultControls#answerHistorySlowly}. */
    volatile Duration historyDelay = Duration.ZERO;
    /** HistoryRead requests answered since the server started. */
    final java.util.concurrent.atomic.AtomicInteger historyAnswers = new java.util.concurrent.atomic.AtomicInteger();
    /** The most items of this namespace one CreateMonitoredItems call created. */
    final java.util.concurrent.atomic.AtomicInteger largestItemCreation = new java.util.concurrent.atomic.AtomicInteger();
    private UaFolderNode metersFolder;
    private UaVariableNode roleNode;
    private UaVariableNode heartbeatNode;

    MeterNamespace(OpcUaServer server, String namespaceUri, MeterHistory history) {
        this(server, namespaceUri, new Options(history, nodeId -> true, false,
                SimulatedScadaServer.NodeChurn.NONE, ConcurrentHashMap.newKeySet(),
                new java.util.concurrent.ConcurrentLinkedQueue<>(), java.time.Clock.systemUTC()));
    }

    MeterNamespace(OpcUaServer server, String namespaceUri, Options options) {
        super(server, namespaceUri);
        this.history = options.history();
        this.historized = options.historized();
        this.churn = options.churn();
        this.liveUpdatesDropped = options.liveUpdatesDropped();
        this.meterReads = options.meterReads();
        this.clock = options.clock();
        // Items that must stay dead after their node is deleted have to be pushed: the subscription
        // model samples by node id and would find the re-created node.
        this.pushedItems = options.pushUpdates() || churn == SimulatedScadaServer.NodeChurn.ITEMS_STAY_DEAD
                ? new ConcurrentHashMap<>() : null;
        this.subscriptionModel = new SubscriptionModel(server, this);
        getLifecycleManager().addLifecycle(subscriptionModel);
        getLifecycleManager().addStartupTask(this::addMetersFolder);
        getLifecycleManager().addStartupTask(this::addRedundancyFolder);
    }

    /**
     * What the namespace simulates besides plain meters.
     *
     * @param history null for a server without history
     * @param historized which meter variables (node id text) have history, when {@code history} is set
     * @param pushUpdates hand every update of a meter variable to the items monitoring its value at
     *     once (one notification per update, no sampling cost) instead of letting the subscription
     *     model sample it; other nodes are sampled either way
     * @param churn what happens to monitored items when the meter nodes are deleted and created again
     * @param liveUpdatesDropped meter variables whose value {@link #publish} leaves unchanged; read at
     *     every publish
     * @param meterReads where the arrival of each client's Read request for meter values is recorded
     * @param clock the server's clock
     */
    record Options(
            MeterHistory history,
            Predicate<String> historized,
            boolean pushUpdates,
            SimulatedScadaServer.NodeChurn churn,
            Set<NodeId> liveUpdatesDropped,
            java.util.Queue<Instant> meterReads,
            java.time.Clock clock) {}

    /** The role tag: true when this server says it is the active one of its pair. */
    void setRoleActive(boolean active, Instant now) {
        roleNode.setValue(new DataValue(new Variant(active), StatusCode.GOOD, new DateTime(now), new DateTime(now)));
    }

    /**
     * Adds meters {@code from..to} (inclusive) with their variables, set to their values of the
     * update slot starting at {@code slotStartMilli}; usable while running.
     */
    void addMeters(int from, int to, long slotStartMilli, Instant now) {
        synchronized (publishLock) {
            for (int meter = from; meter <= to; meter++) {
                String meterId = MeterSignal.meterId(meter);
                UaFolderNode folder = new UaFolderNode(
                        getNodeContext(), newNodeId(meterId), newQualifiedName(meterId), LocalizedText.english(meterId));
                getNodeManager().addNode(folder);
                metersFolder.addOrganizes(folder);
                meterFolders.put(meter, folder);
                for (MeterSignal.Quantity quantity : MeterSignal.Quantity.values()) {
                    MeterSignal signal = new MeterSignal(meter, quantity);
                    UaVariableNode node = addVariable(signal, valueAt(signal, slotStartMilli,
                            new DateTime(Instant.ofEpochMilli(slotStartMilli)), new DateTime(now)));
                    folder.addOrganizes(node);
                    signals.put(node.getNodeId(), signal);
                    nodes.put(signal, node);
                }
            }
        }
    }

    /**
     * Deletes every meter folder and variable from the address space, as a NETx server does with its
     * metering items when it becomes the standby. Items monitoring them get {@code Bad_NodeIdUnknown}:
     * sampled items at their next sample, pushed items at once.
     */
    void removeMeters(Instant now) {
        synchronized (publishLock) {
            nodes.values().forEach(UaVariableNode::delete);
            meterFolders.values().forEach(folder -> {
                metersFolder.removeOrganizes(folder);
                folder.delete();
            });
            nodes.clear();
            signals.clear();
            meterFolders.clear();
            if (pushedItems != null) {
                DataValue unknown = new DataValue(Variant.NULL_VALUE, new StatusCode(StatusCodes.Bad_NodeIdUnknown),
                        null, new DateTime(now));
                pushedItems.values().forEach(items -> push(items, unknown));
                if (churn == SimulatedScadaServer.NodeChurn.ITEMS_STAY_DEAD) {
                    pushedItems.clear(); // nothing will ever hand these items a value again
                }
            }
        }
    }

    boolean hasMeters() {
        return !meterFolders.isEmpty();
    }

    /**
     * Sets every variable to its value of the update slot starting at {@code slotStartMilli} (the
     * source time), with {@code now} as server time. The heartbeat carries the slot's epoch second.
     */
    void publish(long slotStartMilli, Instant now) {
        // immutable, so one pair of timestamps serves every node of the update
        DateTime sourceTime = new DateTime(Instant.ofEpochMilli(slotStartMilli));
        DateTime serverTime = new DateTime(now);
        synchronized (publishLock) {
            nodes.forEach((signal, node) -> {
                if (liveUpdatesDropped.contains(node.getNodeId())) {
                    return;
                }
                DataValue value = valueAt(signal, slotStartMilli, sourceTime, serverTime);
                node.setValue(value);
                if (pushedItems != null) {
                    push(pushedItems.get(node.getNodeId()), value);
                }
            });
        }
        heartbeatNode.setValue(new DataValue(new Variant(Math.floorDiv(slotStartMilli, 1000L)), StatusCode.GOOD,
                sourceTime, serverTime));
    }

    /**
     * Records the arrival of a client's Read request for meter values, then reads as Milo does. Only
     * reads of the Value attribute count: Milo's access checks read other attributes of the same
     * nodes for the same request first.
     */
    @Override
    public List<DataValue> read(ReadContext context, Double maxAge, TimestampsToReturn timestamps,
                                List<ReadValueId> readValueIds) {
        if (context.getSession().isPresent() && readValueIds.stream().anyMatch(id ->
                AttributeId.Value.uid().equals(id.getAttributeId()) && signals.containsKey(id.getNodeId()))) {
            meterReads.add(clock.instant());
        }
        return super.read(context, maxAge, timestamps, readValueIds);
    }

    @Override
    public List<HistoryReadResult> historyRead(HistoryReadContext context, HistoryReadDetails details,
                                               TimestampsToReturn timestamps, List<HistoryReadValueId> readValueIds) {
        pauseFor(historyDelay); // on one of the server's pool threads, which grows: publishing goes on
        List<HistoryReadResult> results = super.historyRead(context, details, timestamps, readValueIds);
        historyAnswers.incrementAndGet();
        return results;
    }

    @Override
    protected HistoryReadResult historyRead(
            HistoryReadDetails details, TimestampsToReturn timestamps, HistoryReadValueId readValueId) {
        MeterSignal signal = signals.get(readValueId.getNodeId());
        if (signal == null) {
            return MeterHistory.failure(getNodeManager().containsNode(readValueId.getNodeId())
                    ? StatusCodes.Bad_HistoryOperationUnsupported
                    : StatusCodes.Bad_NodeIdUnknown);
        }
        if (!isHistorized(signal) || !(details instanceof ReadRawModifiedDetails raw)) {
            return MeterHistory.failure(StatusCodes.Bad_HistoryOperationUnsupported);
        }
        return history.readRaw(
                signal, raw, readValueId.getContinuationPoint(), timestamps, getServer().getStaticEncodingContext());
    }

    @Override
    public void onDataItemsCreated(List<DataItem> dataItems) {
        largestItemCreation.accumulateAndGet(dataItems.size(), Math::max);
        subscriptionModel.onDataItemsCreated(pushOrSample(dataItems));
        // after the items exist: the CreateMonitoredItems response is what comes late
        pauseFor(itemCreationDelay);
    }

    @Override
    public void onDataItemsModified(List<DataItem> dataItems) {
        subscriptionModel.onDataItemsModified(dataItems);
    }

    @Override
    public void onDataItemsDeleted(List<DataItem> dataItems) {
        if (pushedItems != null) {
            for (DataItem item : dataItems) {
                Set<DataItem> items = pushedItems.get(item.getReadValueId().getNodeId());
                if (items != null) {
                    items.remove(item);
                }
            }
        }
        subscriptionModel.onDataItemsDeleted(dataItems);
    }

    @Override
    public void onMonitoringModeChanged(List<MonitoredItem> monitoredItems) {
        subscriptionModel.onMonitoringModeChanged(monitoredItems);
    }

    /**
     * Registers the items on meter variable values for pushed updates, handing each the current
     * value as its first sample; returns the items left for the subscription model to sample.
     */
    private List<DataItem> pushOrSample(List<DataItem> dataItems) {
        if (pushedItems == null) {
            return dataItems;
        }
        List<DataItem> sampled = new ArrayList<>(dataItems.size());
        synchronized (publishLock) {
            for (DataItem item : dataItems) {
                NodeId nodeId = item.getReadValueId().getNodeId();
                MeterSignal signal = signals.get(nodeId);
                if (signal == null || !AttributeId.Value.isEqual(item.getReadValueId().getAttributeId())) {
                    sampled.add(item);
                    continue;
                }
                pushedItems.computeIfAbsent(nodeId, id -> ConcurrentHashMap.newKeySet()).add(item);
                push(Set.of(item), nodes.get(signal).getValue());
            }
        }
        return sampled;
    }

    private static void pauseFor(Duration delay) {
        if (!delay.isZero()) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void push(Set<DataItem> items, DataValue value) {
        if (items == null) {
            return;
        }
        for (DataItem item : items) {
            if (item.isSamplingEnabled()) {
                TimestampsToReturn timestamps = item.getTimestampsToReturn();
                item.setValue(timestamps == null ? value : DataValue.derivedValue(value, timestamps));
            }
        }
    }

    private void addMetersFolder() {
        metersFolder = new UaFolderNode(
                getNodeContext(), newNodeId("Meters"), newQualifiedName("Meters"), LocalizedText.english("Meters"));
        getNodeManager().addNode(metersFolder);
        metersFolder.addReference(new Reference(
                metersFolder.getNodeId(), NodeIds.Organizes, NodeIds.ObjectsFolder.expanded(), Reference.Direction.INVERSE));
    }

    /**
     * {@code Objects/Redundancy/{IsActive,Heartbeat}}: what SCADA pairs that do not follow OPC UA
     * Part 4 (Power Operation/Citect, NETx) expose instead of a ServiceLevel — a role tag and a
     * counter that stops when the server's data acquisition stops.
     */
    private void addRedundancyFolder() {
        UaFolderNode folder = new UaFolderNode(getNodeContext(), newNodeId("Redundancy"), newQualifiedName("Redundancy"),
                LocalizedText.english("Redundancy"));
        getNodeManager().addNode(folder);
        folder.addReference(new Reference(
                folder.getNodeId(), NodeIds.Organizes, NodeIds.ObjectsFolder.expanded(), Reference.Direction.INVERSE));
        roleNode = readOnlyVariable("Redundancy.IsActive", "IsActive", NodeIds.Boolean, new Variant(true));
        heartbeatNode = readOnlyVariable("Redundancy.Heartbeat", "Heartbeat", NodeIds.Int64, new Variant(0L));
        folder.addOrganizes(roleNode);
        folder.addOrganizes(heartbeatNode);
    }

    private boolean isHistorized(MeterSignal signal) {
        return history != null && historized.test("ns=" + getNamespaceIndex() + ";s=" + signal.identifier());
    }

    private UaVariableNode addVariable(MeterSignal signal, DataValue initialValue) {
        boolean historizing = isHistorized(signal);
        Set<AccessLevel> accessLevel = EnumSet.of(AccessLevel.CurrentRead);
        if (historizing) {
            accessLevel.add(AccessLevel.HistoryRead);
        }
        String description = signal.quantity() == MeterSignal.Quantity.ENERGY
                ? "Raw active energy counter, Wh"
                : "Active power, kW";
        return UaVariableNode.build(getNodeContext(), b -> b
                .setNodeId(newNodeId(signal.identifier()))
                .setBrowseName(newQualifiedName(signal.quantity().browseName))
                .setDisplayName(LocalizedText.english(signal.quantity().browseName))
                .setDescription(LocalizedText.english(description))
                .setDataType(NodeIds.Double)
                .setAccessLevel(accessLevel)
                .setUserAccessLevel(accessLevel)
                .setHistorizing(historizing)
                .setValue(initialValue)
                .buildAndAdd());
    }

    private static DataValue valueAt(MeterSignal signal, long slotStartMilli, DateTime sourceTime, DateTime serverTime) {
        return new DataValue(new Variant(signal.valueAtMillis(slotStartMilli)), StatusCode.GOOD, sourceTime, serverTime);
    }
}
