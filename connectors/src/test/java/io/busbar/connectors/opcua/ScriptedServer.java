package io.busbar.connectors.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.busbar.connectors.opcua.simulator.PlainNamespace;
import io.busbar.connectors.support.AnonymousTestServer;
import io.busbar.support.DaemonThreads;
import io.busbar.support.FreePorts;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfigLimits;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.servicesets.AttributeServiceSet;
import org.eclipse.milo.opcua.sdk.server.servicesets.impl.DefaultAttributeServiceSet;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryData;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadDetails;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadResult;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryUpdateRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryUpdateResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadRawModifiedDetails;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.WriteRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.WriteResponse;
import org.eclipse.milo.opcua.stack.transport.server.ServiceRequestContext;

/**
 * A Milo server that behaves the way real SCADA servers do where Busbar's simulator is kind, each
 * behaviour switched on by the test:
 *
 * <ul>
 *   <li>variables with history and variables without ({@code Bad_HistoryOperationUnsupported});
 *   <li>a {@code MaxNodesPerHistoryReadData} it enforces: a larger request fails with {@code
 *       Bad_TooManyOperations};
 *   <li>HistoryRead failures on demand, for the whole request or for one node;
 *   <li>nodes deleted and added again the NETx way: the items on a deleted node get one {@code
 *       Bad_NodeIdUnknown} notification and then nothing, also after the node is back; only items
 *       created anew get values.
 * </ul>
 *
 * <p>Variables live in namespace 2 as {@code ns=2;s=<name>}. Every variable gets a new value every
 * 100 ms (a counter, source time now). A historized variable's history has one value per whole
 * second, the epoch second itself.
 */
final class ScriptedServer implements AutoCloseable {

    private static final String PATH = "/scripted";
    private static final long TICK_MILLIS = 100;

    private final int port = FreePorts.freeOn("localhost");
    private final OpcUaServer server;
    private final ScriptedNamespace namespace;
    private final int maxNodesPerHistoryRead;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("scripted-server-ticker"));
    private final AtomicLong counter = new AtomicLong();
    private final AtomicInteger serviceFaults = new AtomicInteger();
    private final AtomicLong serviceFaultStatus = new AtomicLong();
    private final AtomicInteger historyReads = new AtomicInteger();
    private final AtomicInteger releases = new AtomicInteger();
    private final AtomicInteger largestHistoryRead = new AtomicInteger();

    /** @param maxNodesPerHistoryRead the server's MaxNodesPerHistoryReadData; 0 for no limit */
    ScriptedServer(int maxNodesPerHistoryRead) {
        this.maxNodesPerHistoryRead = maxNodesPerHistoryRead;
        server = AnonymousTestServer.create(AnonymousTestServer.config("scripted", port, PATH)
                .setLimits(new OpcUaServerConfigLimits() {
                    @Override
                    public UInteger getMaxNodesPerHistoryReadData() {
                        return uint(maxNodesPerHistoryRead);
                    }
                })
                .build());
        server.addServiceSet(PATH, new ScriptedAttributeServices(new DefaultAttributeServiceSet(server)));
        namespace = new ScriptedNamespace(server);
        namespace.startup();
        server.startup().join();
        ticker.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    String endpointUrl() {
        return "opc.tcp://localhost:" + port + PATH;
    }

    static String nodeId(String name) {
        return "ns=2;s=" + name;
    }

    /** Adds a variable, or adds a deleted one back; returns its node id. */
    String addVariable(String name, boolean historized) {
        namespace.addVariable(name, historized);
        return nodeId(name);
    }

    /** Deletes a variable; its items get {@code Bad_NodeIdUnknown} once and never a value again. */
    void deleteVariable(String name) {
        namespace.deleteVariable(name);
    }

    /** The next {@code times} HistoryRead requests fail as a whole with {@code status}. */
    void failHistoryReads(int times, long status) {
        serviceFaultStatus.set(status);
        serviceFaults.set(times);
    }

    /** The next {@code times} reads of the variable's history fail with {@code status} for it alone. */
    void failNodeHistory(String name, int times, long status) {
        failNodeHistory(name, 0, times, status);
    }

    /** Like {@link #failNodeHistory(String, int, long)}, after {@code skip} reads that succeed (pages, say). */
    void failNodeHistory(String name, int skip, int times, long status) {
        namespace.nodeFaults.put(name, new NodeFault(new AtomicInteger(skip), new AtomicInteger(times), status));
    }

    /** HistoryRead requests answered so far, failed ones included, releases of continuation points not. */
    int historyReads() {
        return historyReads.get();
    }

    /** HistoryRead requests that released continuation points. */
    int continuationPointReleases() {
        return releases.get();
    }

    /** The most nodes one HistoryRead request has carried. */
    int largestHistoryRead() {
        return largestHistoryRead.get();
    }

    /** How many monitored items have been created on the variable so far. */
    int itemsCreated(String name) {
        AtomicInteger created = namespace.itemsCreated.get(name);
        return created == null ? 0 : created.get();
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        server.shutdown().join();
        namespace.shutdown();
    }

    private void tick() {
        DateTime now = DateTime.now();
        namespace.publish(new DataValue(new Variant((double) counter.incrementAndGet()), StatusCode.GOOD, now, now));
    }

    private record NodeFault(AtomicInteger skip, AtomicInteger remaining, long status) {

        boolean strikes() {
            return skip.getAndUpdate(left -> Math.max(0, left - 1)) == 0
                    && remaining.getAndUpdate(left -> Math.max(0, left - 1)) > 0;
        }
    }

    /** The standard attribute services, with HistoryRead's service-level faults and limit in front. */
    private final class ScriptedAttributeServices implements AttributeServiceSet {

        private final AttributeServiceSet delegate;

        ScriptedAttributeServices(AttributeServiceSet delegate) {
            this.delegate = delegate;
        }

        @Override
        public HistoryReadResponse onHistoryRead(ServiceRequestContext context, HistoryReadRequest request)
                throws UaException {
            int nodes = request.getNodesToRead() == null ? 0 : request.getNodesToRead().length;
            if (request.getReleaseContinuationPoints()) {
                releases.incrementAndGet();
            } else {
                historyReads.incrementAndGet();
                largestHistoryRead.accumulateAndGet(nodes, Math::max);
                if (serviceFaults.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                    throw new UaException(serviceFaultStatus.get());
                }
            }
            if (maxNodesPerHistoryRead > 0 && nodes > maxNodesPerHistoryRead) {
                throw new UaException(StatusCodes.Bad_TooManyOperations);
            }
            return delegate.onHistoryRead(context, request);
        }

        @Override
        public ReadResponse onRead(ServiceRequestContext context, ReadRequest request) throws UaException {
            return delegate.onRead(context, request);
        }

        @Override
        public WriteResponse onWrite(ServiceRequestContext context, WriteRequest request) throws UaException {
            return delegate.onWrite(context, request);
        }

        @Override
        public HistoryUpdateResponse onHistoryUpdate(ServiceRequestContext context, HistoryUpdateRequest request)
                throws UaException {
            return delegate.onHistoryUpdate(context, request);
        }
    }

    private static final class ScriptedNamespace extends PlainNamespace {

        final Map<String, NodeFault> nodeFaults = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> itemsCreated = new ConcurrentHashMap<>();
        /** Name to whether it is historized, for the variables that exist now. */
        private final Map<String, Boolean> variables = new ConcurrentHashMap<>();
        /** The items that get values, per variable name: those created while the variable existed. */
        private final Map<String, Set<DataItem>> liveItems = new ConcurrentHashMap<>();

        ScriptedNamespace(OpcUaServer server) {
            super(server, "urn:busbar:test:scripted");
        }

        void addVariable(String name, boolean historized) {
            Set<AccessLevel> access = historized
                    ? EnumSet.of(AccessLevel.CurrentRead, AccessLevel.HistoryRead)
                    : EnumSet.of(AccessLevel.CurrentRead);
            UaVariableNode.build(getNodeContext(), b -> b
                    .setNodeId(newNodeId(name))
                    .setBrowseName(newQualifiedName(name))
                    .setDisplayName(LocalizedText.english(name))
                    .setDataType(NodeIds.Double)
                    .setAccessLevel(access)
                    .setUserAccessLevel(access)
                    .setHistorizing(historized)
                    .setValue(new DataValue(new Variant(0.0)))
                    .buildAndAdd());
            variables.put(name, historized);
        }

        void deleteVariable(String name) {
            variables.remove(name);
            getNodeManager().removeNode(newNodeId(name));
            Set<DataItem> orphans = liveItems.remove(name);
            if (orphans != null) {
                DataValue gone = new DataValue(Variant.NULL_VALUE, new StatusCode(StatusCodes.Bad_NodeIdUnknown),
                        null, DateTime.now());
                orphans.forEach(item -> item.setValue(gone));
            }
        }

        void publish(DataValue value) {
            liveItems.forEach((name, items) -> {
                UaVariableNode node = (UaVariableNode) getNodeManager().get(newNodeId(name));
                if (node != null) {
                    node.setValue(value);
                }
                items.forEach(item -> item.setValue(value));
            });
        }

        @Override
        protected HistoryReadResult historyRead(
                HistoryReadDetails details, TimestampsToReturn timestamps, HistoryReadValueId readValueId) {
            String name = String.valueOf(readValueId.getNodeId().getIdentifier());
            Boolean historized = variables.get(name);
            if (historized == null) {
                return historyFailure(StatusCodes.Bad_NodeIdUnknown);
            }
            NodeFault fault = nodeFaults.get(name);
            if (fault != null && fault.strikes()) {
                return historyFailure(fault.status());
            }
            if (!historized || !(details instanceof ReadRawModifiedDetails raw)) {
                return historyFailure(StatusCodes.Bad_HistoryOperationUnsupported);
            }
            // one value per whole second in [start, end), paged; the continuation point is the next second
            long first = (raw.getStartTime().getJavaInstant().toEpochMilli() + 999) / 1000;
            long end = (raw.getEndTime().getJavaInstant().toEpochMilli() + 999) / 1000;
            ByteString continuation = readValueId.getContinuationPoint();
            if (continuation != null && !continuation.isNullOrEmpty()) {
                first = ByteBuffer.wrap(continuation.bytesOrEmpty()).getLong();
            }
            long pageSize = raw.getNumValuesPerNode().longValue() == 0 ? Long.MAX_VALUE : raw.getNumValuesPerNode().longValue();
            List<DataValue> values = new ArrayList<>();
            long second = first;
            for (; second < end && values.size() < pageSize; second++) {
                DateTime time = new DateTime(Instant.ofEpochSecond(second));
                values.add(new DataValue(new Variant((double) second), StatusCode.GOOD, time, time));
            }
            ByteString next = second < end ? ByteString.of(ByteBuffer.allocate(Long.BYTES).putLong(second).array()) : null;
            return new HistoryReadResult(StatusCode.GOOD, next, ExtensionObject.encode(
                    getServer().getStaticEncodingContext(), new HistoryData(values.toArray(DataValue[]::new))));
        }

        @Override
        public void onDataItemsCreated(List<DataItem> dataItems) {
            for (DataItem item : dataItems) {
                String name = String.valueOf(item.getReadValueId().getNodeId().getIdentifier());
                if (variables.containsKey(name)) {
                    itemsCreated.computeIfAbsent(name, any -> new AtomicInteger()).incrementAndGet();
                    liveItems.computeIfAbsent(name, any -> ConcurrentHashMap.newKeySet()).add(item);
                }
            }
        }

        @Override
        public void onDataItemsModified(List<DataItem> dataItems) {
        }

        @Override
        public void onDataItemsDeleted(List<DataItem> dataItems) {
            for (DataItem item : dataItems) {
                Set<DataItem> items = liveItems.get(String.valueOf(item.getReadValueId().getNodeId().getIdentifier()));
                if (items != null) {
                    items.remove(item);
                }
            }
        }

        @Override
        public void onMonitoringModeChanged(List<MonitoredItem> monitoredItems) {
        }
    }
}
