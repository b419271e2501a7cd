package io.busbar.connectors.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.busbar.mappings.model.SampleColumns;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryData;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadResult;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadRawModifiedDetails;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads raw history (OPC UA Part 11) for several nodes over one time domain, node by node: every
 * node's values that the server delivers are kept, whatever it answers for the others. The time
 * domain includes {@code from} and excludes {@code to}, as Part 11 defines, so consecutive reads
 * neither miss nor repeat a value.
 *
 * <ul>
 *   <li>Requests carry at most the server's {@code MaxNodesPerHistoryReadData} nodes; the groups
 *       are read one after the other.
 *   <li>Continuation points are followed until every node is complete, and released when a read
 *       is abandoned.
 *   <li>A transient failure ({@link #isTransient}) is retried after 200, 400 and 800 ms: for the
 *       whole request when the service fails, for the node alone when only its result does. A node
 *       is read again from the start, since its continuation point may be gone.
 * </ul>
 */
final class HistoryReader {

    /** How often a request, or a node, is tried before its failure is final. */
    static final int MAX_ATTEMPTS = 4;
    static final Backoff RETRY = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2));

    /**
     * What a busy server answers for now: worth asking again after a pause. A lost continuation
     * point is among them: the node is read again from the start.
     */
    private static final Set<Long> TRANSIENT = Set.of(
            StatusCodes.Bad_Timeout,
            StatusCodes.Bad_RequestTimeout,
            StatusCodes.Bad_TooManyOperations,
            StatusCodes.Bad_ResourceUnavailable,
            StatusCodes.Bad_ServerTooBusy,
            StatusCodes.Bad_NoContinuationPoints,
            StatusCodes.Bad_ContinuationPointInvalid);

    /**
     * The most values one response may carry, whatever the node count: ~30 bytes each for a numeric
     * value with both timestamps, so ~0.5 MB, a quarter of Milo's default 2 MB message limit (and of
     * what real servers accept), leaving room for wider values.
     */
    static final int VALUES_PER_RESPONSE = 16_000;

    private static final Logger LOG = LoggerFactory.getLogger(HistoryReader.class);

    private final OpcUaClient client;
    private final String source;
    private final int pageSize;
    private final int maxNodesPerRequest;

    /**
     * @param source names the source in logs and errors
     * @param pageSize the most values per node one response may carry
     * @param maxNodesPerRequest the most nodes one request may carry; 0 for no limit
     */
    HistoryReader(OpcUaClient client, String source, int pageSize, int maxNodesPerRequest) {
        this.client = client;
        this.source = source;
        this.pageSize = pageSize;
        this.maxNodesPerRequest = maxNodesPerRequest;
    }

    /** Whether a failure with this status may go away when asked again a little later. */
    static boolean isTransient(long statusCode) {
        return TRANSIENT.contains(statusCode);
    }

    /**
     * @return every node's values and every failed node's status, in request order (a node listed
     *     twice is read once); fails with {@link HistoryUnavailableException} only when the server
     *     cannot serve a request at all
     */
    CompletableFuture<HistoryResult> readRaw(List<String> nodeIds, Instant from, Instant to) {
        return read(nodeIds, from, to, pageSize, true);
    }

    /**
     * Only each node's first {@code perNode} values of the time domain: one page, whose continuation
     * points are released at once.
     */
    CompletableFuture<HistoryResult> readFirst(List<String> nodeIds, Instant from, Instant to, int perNode) {
        return read(nodeIds, from, to, Math.min(perNode, pageSize), false);
    }

    private CompletableFuture<HistoryResult> read(List<String> nodeIds, Instant from, Instant to, int perNode,
                                                  boolean toTheEnd) {
        List<NodeRead> nodes = new LinkedHashSet<>(nodeIds).stream().map(NodeRead::new).toList();
        CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
        for (List<NodeRead> group : groups(nodes)) {
            ReadRawModifiedDetails details = new ReadRawModifiedDetails(
                    false, new DateTime(from), new DateTime(to), uint(valuesPerNode(perNode, group.size())), false);
            all = all.thenCompose(done -> readPages(details, group, 1, toTheEnd));
        }
        return all.thenApply(done -> result(nodes));
    }

    /**
     * The page per node for a request of {@code nodes} nodes: at most {@code pageSize}, and at most
     * {@link #VALUES_PER_RESPONSE} in the whole response. Without the second bound 200 nodes of a
     * 10 Hz gap asked for 200,000 values in one response: 2.8 MB, over the client's 2 MB message
     * limit, so the server could not send it and the whole read-back failed (bench, 2026-12-05).
     */
    static int valuesPerNode(int pageSize, int nodes) {
        return Math.max(1, Math.min(pageSize, VALUES_PER_RESPONSE / Math.max(1, nodes)));
    }

    private List<List<NodeRead>> groups(List<NodeRead> nodes) {
        int size = maxNodesPerRequest > 0 ? maxNodesPerRequest : Math.max(1, nodes.size());
        List<List<NodeRead>> groups = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i += size) {
            groups.add(nodes.subList(i, Math.min(nodes.size(), i + size)));
        }
        return groups;
    }

    /**
     * One request for {@code pending}, then the next one for the nodes that have more to read or are retried.
     *
     * @param toTheEnd whether continuation points are followed; else released, and only failed nodes asked again
     */
    private CompletableFuture<Void> readPages(ReadRawModifiedDetails details, List<NodeRead> pending, int attempt,
                                              boolean toTheEnd) {
        List<HistoryReadValueId> request = pending.stream().map(NodeRead::request).toList();
        return client.historyReadAsync(details, TimestampsToReturn.Both, false, request)
                .handle((response, failure) -> {
                    if (failure != null) {
                        return retryOrFail(details, pending, attempt, unwrap(failure), toTheEnd);
                    }
                    List<NodeRead> next;
                    try {
                        next = apply(response, pending);
                    } catch (UaException e) {
                        return retryOrFail(details, pending, attempt, e, toTheEnd);
                    }
                    if (!toTheEnd) {
                        release(details, next.stream().filter(node -> !node.restarted()).toList());
                        next = next.stream().filter(NodeRead::restarted).toList();
                    }
                    if (next.isEmpty()) {
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    // nodes that only continue wait along with those retried, in one request
                    int failures = next.stream().filter(NodeRead::restarted).mapToInt(node -> node.failures).max().orElse(0);
                    List<NodeRead> again = next;
                    return later(failures > 0 ? RETRY.after(failures) : Duration.ZERO,
                            () -> readPages(details, again, 1, toTheEnd));
                })
                .thenCompose(Function.identity());
    }

    private CompletableFuture<Void> retryOrFail(ReadRawModifiedDetails details, List<NodeRead> pending, int attempt,
                                                Throwable failure, boolean toTheEnd) {
        long status = UaException.extractStatusCode(failure)
                .map(StatusCode::value)
                .orElse(StatusCodes.Bad_UnexpectedError);
        if (isTransient(status) && attempt < MAX_ATTEMPTS) {
            Duration delay = RETRY.after(attempt);
            LOG.debug("{}: HistoryRead of {} node(s) failed ({}), attempt {} of {}, retrying in {}",
                    source, pending.size(), StatusCodeNames.describe(failure), attempt, MAX_ATTEMPTS, delay);
            return later(delay, () -> readPages(details, pending, attempt + 1, toTheEnd));
        }
        release(details, pending);
        return CompletableFuture.failedFuture(new HistoryUnavailableException(source, status, attempt, failure));
    }

    /** Takes in one response; returns the nodes to ask for again. */
    private List<NodeRead> apply(HistoryReadResponse response, List<NodeRead> pending) throws UaException {
        HistoryReadResult[] results = response.getResults();
        if (results == null || results.length != pending.size()) {
            throw new UaException(StatusCodes.Bad_UnexpectedError, "HistoryRead answered "
                    + (results == null ? "no" : results.length) + " results for " + pending.size() + " nodes");
        }
        List<NodeRead> next = new ArrayList<>();
        for (int i = 0; i < results.length; i++) {
            NodeRead node = pending.get(i);
            HistoryReadResult result = results[i];
            StatusCode status = result.getStatusCode() == null ? StatusCode.GOOD : result.getStatusCode();
            if (status.isBad()) {
                if (isTransient(status.value()) && node.failures + 1 < MAX_ATTEMPTS) {
                    node.restart();
                    next.add(node);
                } else {
                    node.failed = status.value();
                }
                continue;
            }
            DataValue[] page = dataValues(result.getHistoryData());
            node.samples.reserve(page.length);
            for (DataValue value : page) {
                DataValues.add(node.samples, node.textId, value);
            }
            ByteString continuationPoint = result.getContinuationPoint();
            if (continuationPoint != null && !continuationPoint.isNullOrEmpty()) {
                node.continuationPoint = continuationPoint;
                node.restarted = false;
                next.add(node);
            }
        }
        return next;
    }

    private DataValue[] dataValues(ExtensionObject historyData) {
        if (historyData == null || historyData.isNull()) {
            return new DataValue[0];
        }
        DataValue[] values = ((HistoryData) historyData.decode(client.getStaticEncodingContext())).getDataValues();
        return values == null ? new DataValue[0] : values;
    }

    /** Frees the server's continuation points of a read that is abandoned half-way. */
    private void release(ReadRawModifiedDetails details, List<NodeRead> pending) {
        List<HistoryReadValueId> open = pending.stream()
                .filter(node -> !node.continuationPoint.isNullOrEmpty())
                .map(NodeRead::request)
                .toList();
        if (!open.isEmpty()) {
            client.historyReadAsync(details, TimestampsToReturn.Both, true, open);
        }
    }

    /**
     * The values in columns: a read-back's slices wait to be forwarded, up to four groups of ~20,000
     * values read ahead, and as {@code RawSample}s (with a boxed value and two Instants each) they
     * were ~195,000 objects of a 256 MB heap's live set at 10 Hz (bench histogram, 2026-12-05).
     */
    private static HistoryResult result(List<NodeRead> nodes) {
        int total = 0;
        for (NodeRead node : nodes) {
            total += node.failed == null ? node.samples.size() : 0;
        }
        SampleColumns.Builder samples = SampleColumns.builder(total);
        Map<String, Long> failed = new LinkedHashMap<>();
        for (NodeRead node : nodes) {
            if (node.failed != null) {
                failed.put(node.textId, node.failed);
            } else {
                samples.addAll(node.samples.build());
            }
        }
        return new HistoryResult(samples.build(), failed);
    }

    private static <T> CompletableFuture<T> later(Duration delay, Supplier<CompletableFuture<T>> next) {
        if (delay.isZero()) {
            return next.get();
        }
        return CompletableFuture.supplyAsync(next,
                        CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS))
                .thenCompose(Function.identity());
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Where the read of one node stands; touched by one request chain at a time. */
    private static final class NodeRead {

        final String textId;
        final NodeId nodeId;
        SampleColumns.Builder samples = SampleColumns.builder(0); // each page reserves its room
        ByteString continuationPoint = ByteString.NULL_VALUE;
        /** Transient failures of this node so far. */
        int failures;
        /** Whether the node waits to be read again from the start after a transient failure. */
        boolean restarted;
        /** The final status of a node that could not be read; null while it can. */
        Long failed;

        NodeRead(String textId) {
            this.textId = textId;
            this.nodeId = NodeId.parse(textId);
        }

        HistoryReadValueId request() {
            return new HistoryReadValueId(nodeId, null, QualifiedName.NULL_VALUE, continuationPoint);
        }

        boolean restarted() {
            return restarted;
        }

        /** Drops what was read so far: the values come again from the start of the time domain. */
        void restart() {
            failures++;
            restarted = true;
            samples = SampleColumns.builder(0);
            continuationPoint = ByteString.NULL_VALUE;
        }
    }
}
