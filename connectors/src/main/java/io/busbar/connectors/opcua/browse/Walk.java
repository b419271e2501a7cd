package io.busbar.connectors.opcua.browse;

import io.busbar.mappings.model.BrowsedNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

/** What one walk found, in the order found (breadth first). */
final class Walk {

    final Set<NodeId> visited = new HashSet<>();
    final List<BrowsedNode> nodes = new ArrayList<>();
    final List<NodeId> ids = new ArrayList<>();
    /** Per node the index of its parent in {@link #nodes}, -1 below a start node. */
    final List<Integer> parents = new ArrayList<>();
    final BitSet variables = new BitSet();
    /** Variable → its EngineeringUnits property. */
    final Map<NodeId, NodeId> engineeringUnits = new HashMap<>();
    int visitedCount;
    boolean truncated;

    /**
     * The indexes of the nodes in address-space order: depth first, each node's children in the
     * order the server listed them (so Meters/M1/Energy comes before Meters/M2 and before the
     * next folder next to Meters, however deep each lies).
     */
    int[] treeOrder() {
        int size = nodes.size();
        List<List<Integer>> children = new ArrayList<>(size);
        List<Integer> tops = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            children.add(null);
            int parent = parents.get(i);
            List<Integer> siblings = parent < 0 ? tops : children.get(parent);
            if (siblings == null) {
                siblings = new ArrayList<>(2);
                children.set(parent, siblings);
            }
            siblings.add(i);
        }
        int[] order = new int[size];
        int next = 0;
        Deque<Integer> stack = new ArrayDeque<>();
        for (int t = tops.size() - 1; t >= 0; t--) {
            stack.push(tops.get(t));
        }
        while (!stack.isEmpty()) {
            int node = stack.pop();
            order[next++] = node;
            List<Integer> below = children.get(node);
            if (below != null) {
                for (int c = below.size() - 1; c >= 0; c--) {
                    stack.push(below.get(c));
                }
            }
        }
        return order;
    }

    List<BrowsedNode> inTreeOrder() {
        List<BrowsedNode> ordered = new ArrayList<>(nodes.size());
        for (int index : treeOrder()) {
            ordered.add(nodes.get(index));
        }
        return ordered;
    }
}
