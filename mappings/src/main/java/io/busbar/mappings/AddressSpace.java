package io.busbar.mappings;

import io.busbar.mappings.model.BrowsedNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A server's browsed nodes, indexed by browse path, in the order the source side found them. */
final class AddressSpace {

    private final Map<String, List<String>> byPath = new LinkedHashMap<>();

    AddressSpace(List<BrowsedNode> nodes) {
        for (BrowsedNode node : nodes) {
            List<String> ids = byPath.computeIfAbsent(node.browsePath(), p -> new ArrayList<>(1));
            if (!ids.contains(node.nodeId())) {
                ids.add(node.nodeId());
            }
        }
    }

    List<String> nodesAt(String browsePath) {
        return byPath.getOrDefault(browsePath, List.of());
    }

    Iterable<String> paths() {
        return byPath.keySet();
    }
}
