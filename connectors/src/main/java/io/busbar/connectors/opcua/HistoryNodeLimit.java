package io.busbar.connectors.opcua;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The most nodes one HistoryRead may carry, 0 for no limit: the server's {@code
 * MaxNodesPerHistoryReadData}, read once per session.
 */
final class HistoryNodeLimit {

    /** {@code Server/ServerCapabilities/OperationLimits/MaxNodesPerHistoryReadData} (ns=0;i=12165). */
    private static final NodeId MAX_NODES_PER_HISTORY_READ_DATA =
            NodeIds.Server_ServerCapabilities_OperationLimits_MaxNodesPerHistoryReadData;
    /** Logged as the source, whose part this is. */
    private static final Logger LOG = LoggerFactory.getLogger(OpcUaSource.class);

    private final String name;
    /** Null until read in this session. */
    private final AtomicReference<CompletableFuture<Integer>> known = new AtomicReference<>();

    HistoryNodeLimit(String name) {
        this.name = name;
    }

    /** A new session may be another server: read the limit again. */
    void forget() {
        known.set(null);
    }

    /**
     * A server without the property has no limit; a failed read is tried again at the next history
     * read.
     */
    CompletableFuture<Integer> of(OpcUaClient connected) {
        CompletableFuture<Integer> current = known.get();
        if (current != null) {
            return current;
        }
        CompletableFuture<Integer> reading = new CompletableFuture<>();
        if (!known.compareAndSet(null, reading)) {
            return of(connected); // another read has begun meanwhile
        }
        connected.readValuesAsync(0.0, TimestampsToReturn.Neither, List.of(MAX_NODES_PER_HISTORY_READ_DATA))
                .whenComplete((values, failure) -> {
                    if (failure != null) {
                        LOG.debug("{}: cannot read MaxNodesPerHistoryReadData ({}), reading without a limit",
                                name, StatusCodeNames.describe(failure));
                        known.compareAndSet(reading, null);
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
}
