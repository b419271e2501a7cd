package io.busbar.connectors.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.busbar.mappings.RawSample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryData;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadResult;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadRawModifiedDetails;

/**
 * Reads raw history (OPC UA Part 11) for several nodes over one time domain, following continuation
 * points until every node is complete. The time domain includes {@code from} and excludes {@code
 * to}, as Part 11 defines, so consecutive reads neither miss nor repeat a value.
 */
final class HistoryReader {

    private final OpcUaClient client;
    private final String source;
    private final int pageSize;

    HistoryReader(OpcUaClient client, String source, int pageSize) {
        this.client = client;
        this.source = source;
        this.pageSize = pageSize;
    }

    /**
     * @return the values node by node in request order, each node's in time order; fails with
     *     {@link HistoryUnavailableException} if the server refuses history for any node
     */
    CompletableFuture<List<RawSample>> readRaw(List<String> nodeIds, Instant from, Instant to) {
        ReadRawModifiedDetails details =
                new ReadRawModifiedDetails(false, new DateTime(from), new DateTime(to), uint(pageSize), false);
        Map<String, List<RawSample>> samples = new LinkedHashMap<>();
        List<NodeCursor> cursors = new ArrayList<>();
        for (String nodeId : new LinkedHashSet<>(nodeIds)) {
            samples.put(nodeId, new ArrayList<>());
            cursors.add(new NodeCursor(nodeId, NodeId.parse(nodeId), ByteString.NULL_VALUE));
        }
        return readPages(details, cursors, samples)
                .thenApply(done -> samples.values().stream().flatMap(List::stream).toList());
    }

    private CompletableFuture<Void> readPages(
            ReadRawModifiedDetails details, List<NodeCursor> cursors, Map<String, List<RawSample>> samples) {
        List<HistoryReadValueId> request = cursors.stream().map(NodeCursor::request).toList();
        return client.historyReadAsync(details, TimestampsToReturn.Both, false, request).thenCompose(response -> {
            HistoryReadResult[] results = Objects.requireNonNull(response.getResults(), "HistoryRead results");
            List<NodeCursor> unfinished = new ArrayList<>();
            Map<String, Long> failures = new LinkedHashMap<>();
            for (int i = 0; i < results.length; i++) {
                NodeCursor cursor = cursors.get(i);
                HistoryReadResult result = results[i];
                if (result.getStatusCode().isBad()) {
                    failures.put(cursor.textId, result.getStatusCode().value());
                    continue;
                }
                for (DataValue value : dataValues(result.getHistoryData())) {
                    samples.get(cursor.textId).add(DataValues.toRawSample(cursor.textId, value));
                }
                ByteString continuationPoint = result.getContinuationPoint();
                if (continuationPoint != null && !continuationPoint.isNullOrEmpty()) {
                    unfinished.add(cursor.continuingAt(continuationPoint));
                }
            }
            if (!failures.isEmpty()) {
                release(details, unfinished);
                return CompletableFuture.failedFuture(new HistoryUnavailableException(source, failures));
            }
            return unfinished.isEmpty() ? CompletableFuture.completedFuture(null) : readPages(details, unfinished, samples);
        });
    }

    private DataValue[] dataValues(ExtensionObject historyData) {
        if (historyData == null || historyData.isNull()) {
            return new DataValue[0];
        }
        DataValue[] values = ((HistoryData) historyData.decode(client.getStaticEncodingContext())).getDataValues();
        return values == null ? new DataValue[0] : values;
    }

    /** Frees the server's continuation points of a read that is abandoned half-way. */
    private void release(ReadRawModifiedDetails details, List<NodeCursor> unfinished) {
        if (!unfinished.isEmpty()) {
            client.historyReadAsync(details, TimestampsToReturn.Both, true,
                    unfinished.stream().map(NodeCursor::request).toList());
        }
    }

    /** Where the read of one node stands: its id as the caller wrote it, and the next page. */
    private record NodeCursor(String textId, NodeId nodeId, ByteString continuationPoint) {

        HistoryReadValueId request() {
            return new HistoryReadValueId(nodeId, null, QualifiedName.NULL_VALUE, continuationPoint);
        }

        NodeCursor continuingAt(ByteString next) {
            return new NodeCursor(textId, nodeId, next);
        }
    }
}
