package io.busbar.connectors.opcua.browse;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

/**
 * A node whose children are still to be browsed.
 *
 * @param standardNodesAllowed whether namespace-0 nodes below it are followed (only where the root or
 *     prefix itself names such a node)
 * @param index its place in {@link Walk#nodes}, -1 for a start node
 */
record PendingNode(NodeId nodeId, String path, boolean variable, boolean standardNodesAllowed, int index) {

    static List<NodeId> ids(List<PendingNode> pending) {
        List<NodeId> ids = new ArrayList<>(pending.size());
        pending.forEach(p -> ids.add(p.nodeId()));
        return ids;
    }
}
