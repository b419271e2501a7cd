package io.busbar.connectors.opcua;

import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;

/**
 * The monitoring of one node by {@link MonitoredItems}. {@code monitored} is replaced on the
 * subscription owner's thread only; the volatile fields are read by its dead-item view and Milo's
 * threads.
 */
final class MonitoredNode {

    final String nodeId;
    /** Where the node stands in the list the subscription was made for: the batches carry it ({@code SampleColumns.slot}). */
    final int slot;
    volatile OpcUaMonitoredItem monitored;
    /** A notification said the node is gone: the item is replaced at the next reconcile. */
    volatile boolean gone;
    /** The status the server refused the last creation with; null when created or not tried. */
    volatile Long refusedWith;
    /** Refusals in a row; owner's thread. */
    int failures;
    /** System.nanoTime() from which the next creation may be tried; owner's thread. */
    long dueAt = System.nanoTime();

    MonitoredNode(String nodeId, int slot) {
        this.nodeId = nodeId;
        this.slot = slot;
    }

    /**
     * The node a monitored item of the subscription was made for: the item carries it. Read for
     * every value received, so from a field: Milo's {@code getUserObject()} makes an Optional each time.
     */
    static MonitoredNode of(OpcUaMonitoredItem monitored) {
        return monitored instanceof Item item ? item.node : (MonitoredNode) monitored.getUserObject().orElseThrow();
    }

    /** A monitored item that knows its node. */
    static final class Item extends OpcUaMonitoredItem {
        private final MonitoredNode node;

        Item(ReadValueId target, MonitoredNode node) {
            super(target);
            this.node = node;
            setUserObject(node);
        }
    }

    boolean isDead() {
        return gone || refusedWith != null;
    }

    boolean isDue(long now) {
        return now - dueAt >= 0;
    }
}
