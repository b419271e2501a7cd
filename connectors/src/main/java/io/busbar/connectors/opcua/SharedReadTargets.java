package io.busbar.connectors.opcua;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;

/**
 * The parsed read targets (node id, Value attribute) of a list of node ids, made once for every
 * subscription of the same list: a pair subscribes its mapping's nodes on both servers, and each
 * server's items held their own {@link ReadValueId}, {@link NodeId}, identifier string and
 * namespace box — about 130 B per tag at 100,000 tags. {@link ReadValueId} is immutable, so the
 * servers' items can share one.
 *
 * <p>Kept while the list is (weakly, by the list's value): a pair that stops lets its targets go.
 * A mutable list is copied first; nothing else holds that copy, so its targets are not shared.
 */
final class SharedReadTargets {

    private static final Map<List<String>, List<ReadValueId>> BY_LIST = Collections.synchronizedMap(new WeakHashMap<>());

    private SharedReadTargets() {
    }

    /** One target per node id, in the same order. */
    static List<ReadValueId> of(List<String> nodeIds) {
        // an immutable key: a list changed after it was cached would find another list's targets. A
        // list that is immutable already (a mapping's node ids) is its own copy, so its owner keeps it.
        List<String> key = List.copyOf(nodeIds);
        return BY_LIST.computeIfAbsent(key, ids -> {
            List<ReadValueId> targets = new ArrayList<>(ids.size());
            for (String id : ids) {
                targets.add(target(NodeId.parse(id)));
            }
            return Collections.unmodifiableList(targets);
        });
    }

    /** What {@code OpcUaMonitoredItem.newDataItem(nodeId)} reads: the Value attribute, whole, default encoding. */
    static ReadValueId target(NodeId nodeId) {
        return new ReadValueId(nodeId, AttributeId.Value.uid(), null, QualifiedName.NULL_VALUE);
    }
}
