package io.busbar.connectors.opcua.browse;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.busbar.mappings.model.BrowsedNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;

/**
 * Breadth first below start nodes, one Browse request per {@link ChunkBrowser#nodesPerBrowse()} nodes,
 * up to a limit of nodes found. A node reachable on several paths is kept once, on the shortest; a
 * loop is not followed twice; properties are not nodes of their own (an {@code EngineeringUnits}
 * property is remembered for its variable); namespace-0 nodes are skipped unless a start allows them.
 */
final class AddressSpaceWalker {

    static final UInteger OBJECTS_AND_VARIABLES = uint(NodeClass.Object.getValue() | NodeClass.Variable.getValue());
    private static final String ENGINEERING_UNITS = "EngineeringUnits";

    private final ChunkBrowser browser;
    private final NamespaceTable namespaces;
    private final int maxNodes;
    private final BrowseProgress progress;

    AddressSpaceWalker(ChunkBrowser browser, NamespaceTable namespaces, int maxNodes, BrowseProgress progress) {
        this.browser = browser;
        this.namespaces = namespaces;
        this.maxNodes = maxNodes;
        this.progress = progress;
    }

    Walk walk(List<PendingNode> starts) throws UaException {
        Walk walk = new Walk();
        Deque<PendingNode> queue = new ArrayDeque<>();
        for (PendingNode start : starts) {
            if (walk.visited.add(start.nodeId())) {
                queue.add(start);
            }
        }
        while (!queue.isEmpty() && !walk.truncated) {
            List<PendingNode> batch = new ArrayList<>(browser.nodesPerBrowse());
            while (batch.size() < browser.nodesPerBrowse() && !queue.isEmpty()) {
                batch.add(queue.poll());
            }
            browser.browse(PendingNode.ids(batch), BrowseDirection.Forward, OBJECTS_AND_VARIABLES,
                    (index, reference) -> visit(walk, batch.get(index), reference, queue));
            progress.onProgress(walk.visitedCount, walk.variables.cardinality());
        }
        return walk;
    }

    /** @return false when the max-nodes limit is reached */
    private boolean visit(Walk walk, PendingNode parent, ReferenceDescription reference, Deque<PendingNode> queue) {
        if (!Boolean.TRUE.equals(reference.getIsForward())) {
            return true;
        }
        NodeId target = reference.getNodeId().toNodeId(namespaces).orElse(null);
        if (target == null) {
            return true; // on another server
        }
        String name = References.nameOf(reference.getBrowseName());
        if (References.isProperty(reference)) {
            if (parent.variable() && ENGINEERING_UNITS.equals(name)) {
                walk.engineeringUnits.putIfAbsent(parent.nodeId(), target);
            }
            return true;
        }
        if (target.getNamespaceIndex().intValue() == 0 && !parent.standardNodesAllowed()) {
            return true;
        }
        if (walk.visited.contains(target)) {
            return true;
        }
        if (walk.visitedCount >= maxNodes) {
            walk.truncated = true;
            return false;
        }
        walk.visited.add(target);
        walk.visitedCount++;
        boolean variable = reference.getNodeClass() == NodeClass.Variable;
        String path = BrowsePaths.child(parent.path(), name);
        int index = walk.nodes.size();
        walk.nodes.add(new BrowsedNode(path, target.toParseableString()));
        walk.ids.add(target);
        walk.parents.add(parent.index());
        walk.variables.set(index, variable);
        queue.add(new PendingNode(target, path, variable, parent.standardNodesAllowed(), index));
        return true;
    }
}
