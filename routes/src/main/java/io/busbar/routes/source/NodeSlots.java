package io.busbar.routes.source;

import io.busbar.mappings.model.SampleColumns;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pair's mapped nodes by position in the list its data subscriptions are made for, so that the
 * loop keeps per-node state in arrays. A subscription's batch carries each sample's position
 * ({@link SampleColumns#slot}); checking it against this list costs one reference comparison where a
 * map lookup per sample cost a few cache misses: at 10,000 tags × 10 Hz from two servers the loop's
 * per-node maps were a third of its time (bench profile, 2026-12-05).
 */
final class NodeSlots {

    private final String[] nodeIds;
    private final Map<String, Integer> positions;

    NodeSlots(List<String> nodeIds) {
        this.nodeIds = nodeIds.toArray(String[]::new);
        this.positions = new HashMap<>(nodeIds.size() * 2);
        for (int i = nodeIds.size() - 1; i >= 0; i--) { // a node listed twice stands at its first position
            positions.put(this.nodeIds[i], i);
        }
    }

    int size() {
        return nodeIds.length;
    }

    String nodeId(int slot) {
        return nodeIds[slot];
    }

    /**
     * @param hint where the source says the node stands ({@link SampleColumns#NO_SLOT} when it does not say)
     * @return the node's position, or -1 when it is not one of the pair's nodes
     */
    int slotOf(String nodeId, int hint) {
        if (hint >= 0 && hint < nodeIds.length) {
            String there = nodeIds[hint];
            if (there == nodeId || there.equals(nodeId)) {
                return hint;
            }
        }
        Integer position = positions.get(nodeId);
        return position == null ? -1 : position;
    }
}
