package io.busbar.connectors.opcua.browse;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseNextResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.ViewDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Browse request for several nodes' hierarchical references, page by page: the server returns at
 * most {@code maxReferencesPerNode} per node and a continuation point for the rest, which BrowseNext
 * fetches until none is left (or releases when the consumer has had enough). A node whose browse
 * fails is logged and skipped, so one broken node does not hide its siblings.
 */
final class ChunkBrowser {

    /** Receives the references of node {@code index} of a browse request, page by page. */
    @FunctionalInterface
    interface ReferenceConsumer {
        /** @return false to stop: the remaining continuation points are released */
        boolean accept(int index, ReferenceDescription reference);
    }

    private static final Logger LOG = LoggerFactory.getLogger(ChunkBrowser.class);
    private static final ViewDescription WHOLE_ADDRESS_SPACE =
            new ViewDescription(NodeId.NULL_VALUE, DateTime.MIN_VALUE, uint(0));

    private final OpcUaClient client;
    private final String endpoint;
    private final int maxReferencesPerNode;
    private final int nodesPerBrowse;

    ChunkBrowser(OpcUaClient client, String endpoint, int maxReferencesPerNode, int nodesPerBrowse) {
        this.client = client;
        this.endpoint = endpoint;
        this.maxReferencesPerNode = maxReferencesPerNode;
        this.nodesPerBrowse = nodesPerBrowse;
    }

    /** The most nodes {@link #browse} takes at once (the server's MaxNodesPerBrowse or ours). */
    int nodesPerBrowse() {
        return nodesPerBrowse;
    }

    /** Browses the references of {@code nodes} (at most {@link #nodesPerBrowse()}), following continuation points. */
    void browse(List<NodeId> nodes, BrowseDirection direction, UInteger nodeClasses, ReferenceConsumer consumer)
            throws UaException {
        List<BrowseDescription> descriptions = new ArrayList<>(nodes.size());
        for (NodeId node : nodes) {
            descriptions.add(new BrowseDescription(node, direction, NodeIds.HierarchicalReferences, true, nodeClasses,
                    uint(BrowseResultMask.All.getValue())));
        }
        BrowseResult[] results = client.browse(WHOLE_ADDRESS_SPACE, uint(maxReferencesPerNode), descriptions).getResults();
        if (results == null || results.length != nodes.size()) {
            throw new UaException(StatusCode.BAD.value(), "the server answered a browse of " + nodes.size()
                    + " nodes with " + (results == null ? 0 : results.length) + " results");
        }
        List<Integer> pendingIndexes = new ArrayList<>();
        List<ByteString> continuationPoints = new ArrayList<>();
        boolean more = accept(nodes, results, null, consumer, pendingIndexes, continuationPoints);
        while (!continuationPoints.isEmpty()) {
            if (!more) {
                client.browseNext(true, continuationPoints);
                return;
            }
            List<Integer> indexes = List.copyOf(pendingIndexes);
            BrowseNextResponse next = client.browseNext(false, List.copyOf(continuationPoints));
            pendingIndexes.clear();
            continuationPoints.clear();
            BrowseResult[] nextResults = next.getResults();
            if (nextResults == null || nextResults.length != indexes.size()) {
                throw new UaException(StatusCode.BAD.value(), "the server answered a browse-next of " + indexes.size()
                        + " continuation points with " + (nextResults == null ? 0 : nextResults.length) + " results");
            }
            more = accept(nodes, nextResults, indexes, consumer, pendingIndexes, continuationPoints);
        }
    }

    /** Hands one page of results to the consumer and collects the continuation points. */
    private boolean accept(List<NodeId> nodes, BrowseResult[] results, List<Integer> indexes, ReferenceConsumer consumer,
                           List<Integer> pendingIndexes, List<ByteString> continuationPoints) {
        boolean more = true;
        for (int r = 0; r < results.length; r++) {
            int index = indexes == null ? r : indexes.get(r);
            BrowseResult result = results[r];
            StatusCode status = result.getStatusCode();
            if (status != null && status.isBad()) {
                LOG.warn("{}: could not browse {} ({}); skipped", endpoint,
                        nodes.get(index).toParseableString(), MiloConnection.statusName(status.value()));
                continue;
            }
            ReferenceDescription[] references = result.getReferences();
            if (more && references != null) {
                for (ReferenceDescription reference : references) {
                    if (!consumer.accept(index, reference)) {
                        more = false;
                        break;
                    }
                }
            }
            ByteString continuationPoint = result.getContinuationPoint();
            if (continuationPoint != null && !continuationPoint.isNull() && continuationPoint.length() > 0) {
                pendingIndexes.add(index);
                continuationPoints.add(continuationPoint);
            }
        }
        return more;
    }
}
