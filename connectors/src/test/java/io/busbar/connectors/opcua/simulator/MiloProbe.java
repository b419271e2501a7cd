package io.busbar.connectors.opcua.simulator;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.busbar.connectors.opcua.ClientFactory;
import io.busbar.connectors.opcua.OpcUaSourceOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DataChangeTrigger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DeadbandType;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult;
import org.eclipse.milo.opcua.stack.core.types.structured.DataChangeFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryData;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadResult;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadRawModifiedDetails;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;

/**
 * A plain Milo client on a simulated server, so the simulator's tests observe what the server does
 * without Busbar's own recovery (re-created items, history retries) in between.
 */
final class MiloProbe implements AutoCloseable {

    private static final DataChangeFilter EVERY_SOURCE_TIMESTAMP = new DataChangeFilter(
            DataChangeTrigger.StatusValueTimestamp, uint(DeadbandType.None.getValue()), 0.0);

    private final OpcUaClient client;
    private final OpcUaSubscription subscription;
    /** Every notification of every item, by the item (two items on one node are kept apart). */
    private final Map<OpcUaMonitoredItem, List<DataValue>> received = new ConcurrentHashMap<>();

    private MiloProbe(OpcUaClient client) throws Exception {
        this.client = client;
        client.connect();
        this.subscription = new OpcUaSubscription(client, 100.0);
        subscription.create();
    }

    static MiloProbe connect(SimulatedScadaServer server) throws Exception {
        return connect(server, options -> options);
    }

    /** @param tuning changes to the probe's client options, e.g. a short request timeout */
    static MiloProbe connect(SimulatedScadaServer server, UnaryOperator<OpcUaSourceOptions.Builder> tuning)
            throws Exception {
        OpcUaSourceOptions options = tuning.apply(OpcUaSourceOptions.builder(server.endpointUrl())).build();
        try (ClientFactory factory = new ClientFactory(options, "simulator probe")) {
            return new MiloProbe(factory.newClient().get(10, TimeUnit.SECONDS));
        }
    }

    OpcUaClient client() {
        return client;
    }

    /** Creates a monitored item (sampling 100 ms, every source timestamp reported) on the node. */
    OpcUaMonitoredItem monitor(String nodeId) {
        OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(NodeId.parse(nodeId));
        item.setSamplingInterval(100.0);
        item.setQueueSize(uint(10));
        item.setFilter(EVERY_SOURCE_TIMESTAMP);
        List<DataValue> values = new CopyOnWriteArrayList<>();
        received.put(item, values);
        item.setDataValueListener((monitoredItem, value) -> values.add(value));
        subscription.addMonitoredItem(item);
        StatusCode created = subscription.createMonitoredItems().stream()
                .filter(result -> result.monitoredItem() == item)
                .map(result -> result.operationResult().orElse(result.serviceResult()))
                .findFirst().orElseThrow();
        if (!created.isGood()) {
            throw new IllegalStateException("could not monitor " + nodeId + ": " + created);
        }
        return item;
    }

    /** Deletes the item on the server, as a client does before it creates a dead item again. */
    void delete(OpcUaMonitoredItem item) {
        subscription.removeMonitoredItem(item);
        subscription.deleteMonitoredItems();
    }

    List<DataValue> values(OpcUaMonitoredItem item) {
        return List.copyOf(received.get(item));
    }

    Optional<DataValue> last(OpcUaMonitoredItem item) {
        List<DataValue> values = values(item);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(values.size() - 1));
    }

    /** The newest source time the item delivered, with a good status. */
    Optional<Instant> newestGoodSourceTime(OpcUaMonitoredItem item) {
        return values(item).stream()
                .filter(value -> value.statusCode().isGood() && value.sourceTime() != null)
                .map(value -> value.sourceTime().getJavaInstant())
                .max(Instant::compareTo);
    }

    DataValue read(String nodeId) throws Exception {
        return client.readValue(0.0, TimestampsToReturn.Both, NodeId.parse(nodeId));
    }

    /**
     * One raw HistoryRead request for all nodes over {@code [from, to)}, no paging: the server's
     * result for each node, in request order.
     */
    List<HistoryReadResult> historyReadRaw(List<String> nodeIds, Instant from, Instant to) throws Exception {
        ReadRawModifiedDetails details =
                new ReadRawModifiedDetails(false, new DateTime(from), new DateTime(to), uint(0), false);
        List<HistoryReadValueId> request = nodeIds.stream()
                .map(id -> new HistoryReadValueId(NodeId.parse(id), null, QualifiedName.NULL_VALUE, null))
                .toList();
        return Arrays.asList(client.historyRead(details, TimestampsToReturn.Both, false, request).getResults());
    }

    /** The values of one node's history result, empty when the node had none. */
    List<DataValue> historyValues(HistoryReadResult result) {
        if (result.getHistoryData() == null || result.getHistoryData().isNull()) {
            return List.of();
        }
        DataValue[] values =
                ((HistoryData) result.getHistoryData().decode(client.getStaticEncodingContext())).getDataValues();
        return values == null ? List.of() : List.of(values);
    }

    /** The source times (epoch seconds) of one node's history result. */
    List<Long> historySeconds(HistoryReadResult result) {
        List<Long> seconds = new ArrayList<>();
        for (DataValue value : historyValues(result)) {
            seconds.add(value.sourceTime().getJavaInstant().getEpochSecond());
        }
        return seconds;
    }

    /** The browse names of what {@code Objects/Meters} organizes. */
    List<String> browseMeters() throws Exception {
        BrowseResult result = client.browse(new BrowseDescription(
                NodeId.parse("ns=" + SimulatedScadaServer.NAMESPACE_INDEX + ";s=Meters"), BrowseDirection.Forward,
                NodeIds.Organizes, true, uint(NodeClass.Object.getValue() | NodeClass.Variable.getValue()),
                uint(BrowseResultMask.All.getValue())));
        ReferenceDescription[] references = result.getReferences();
        return references == null ? List.of()
                : Arrays.stream(references).map(r -> r.getBrowseName().name()).sorted().toList();
    }

    @Override
    public void close() {
        try {
            client.disconnect();
        } catch (Exception e) {
            // the server may be gone already
        }
    }
}
