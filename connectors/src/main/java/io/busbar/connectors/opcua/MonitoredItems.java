package io.busbar.connectors.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.milo.opcua.sdk.client.subscriptions.MonitoredItemServiceOperationResult;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DataChangeTrigger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DeadbandType;
import org.eclipse.milo.opcua.stack.core.types.structured.DataChangeFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitored items of one {@link MonitoredSubscription}, over a fixed set of nodes: creates the
 * ones missing on the server, replaces the gone ones, and tells when a creation may have left items
 * on the server that this client does not know of.
 *
 * <p>An item is <em>dead</em> when the server refused to create it (e.g. {@code Bad_NodeIdUnknown}
 * while a restarted server is still building its address space), or when a notification says its
 * node is gone ({@link #NODE_GONE}). Some servers delete nodes and create them again (NETx deletes
 * its meter nodes while standby and re-creates them when active), and an item on the old node stays
 * dead for good even when the node is back. A gone item is therefore deleted and created afresh at
 * the next reconcile; a refused one is tried again after {@link OpcUaSourceOptions#itemRetryInterval()},
 * doubling per refusal up to {@link OpcUaSourceOptions#maxItemRetryInterval()}. {@link #recreate}
 * does the same for chosen nodes at once.
 *
 * <p>Every item uses the data change trigger StatusValueTimestamp: a meter reading that repeats the
 * previous value at a new source time is still a reading.
 *
 * <p>{@link #reconcile} and the other methods that take a subscription run on the owner's one
 * thread; {@link #noteStatus} on Milo's; the views and {@link #recreate} on any thread.
 */
final class MonitoredItems {

    /** Statuses with which a server says that a monitored node no longer exists. */
    static final Set<Long> NODE_GONE = Set.of(
            StatusCodes.Bad_NodeIdUnknown, StatusCodes.Bad_NodeIdInvalid, StatusCodes.Bad_ObjectDeleted);

    /** The smallest CreateMonitoredItems call that halving after failed creations goes down to. */
    private static final int MIN_ITEMS_PER_CALL = 250;
    /**
     * Items per CreateMonitoredItems call at first (a server's own OperationLimits still apply when
     * lower). Milo sends up to 10,000 in one call: a busy server that needs longer than the request
     * timeout for them answers too late, and the subscription is deleted and created again — at every
     * start of the 10,000-tag bench (5 s timeout, both simulated servers busy with 10 Hz updates).
     * Ten smaller calls each get the whole timeout, and the first nodes stream while the rest are made.
     */
    static final int FIRST_ITEMS_PER_CALL = 1_000;
    /** Logged as the subscription, whose part this is. */
    private static final Logger LOG = LoggerFactory.getLogger(MonitoredSubscription.class);
    private static final DataChangeFilter EVERY_SOURCE_TIMESTAMP = new DataChangeFilter(
            DataChangeTrigger.StatusValueTimestamp, uint(DeadbandType.None.getValue()), 0.0);

    private final String source;
    /** One per node id, in the order given; the set of nodes never changes. */
    private final List<MonitoredNode> items;
    /** Where each node's item stands in {@link #items}. */
    private final NodeIndex index;
    private final OpcUaSourceOptions options;
    private final Backoff itemRetry;
    /** Node ids whose items {@link #recreate} asked to create again at the next reconcile. */
    private final Set<String> recreateRequests = ConcurrentHashMap.newKeySet();
    /**
     * Set when a CreateMonitoredItems failed as a whole: the server may have created items this
     * client does not know of. Only the owner's thread reads and writes it.
     */
    private boolean uncertain;
    /** Items per CreateMonitoredItems call, halved per creation that failed as a whole. */
    private int itemsPerCall = FIRST_ITEMS_PER_CALL;
    /** Counted again only after an item changed: the pair asks every 100 ms per server (a scan of every item). */
    private final DeadCount deadCount = new DeadCount();

    /**
     * @param source names the source in logs
     * @param nodeIds the nodes to monitor, in OPC UA text form; a node listed twice is monitored once
     */
    MonitoredItems(String source, List<String> nodeIds, OpcUaSourceOptions options) {
        this.source = source;
        this.options = options;
        // the same targets for every subscription of this list: both servers of a pair share them
        List<ReadValueId> targets = SharedReadTargets.of(nodeIds);
        Set<String> seen = new HashSet<>(nodeIds.size() * 2);
        List<MonitoredNode> nodes = new ArrayList<>(nodeIds.size());
        for (int i = 0; i < nodeIds.size(); i++) {
            if (seen.add(nodeIds.get(i))) {
                nodes.add(node(nodeIds.get(i), i, targets.get(i)));
            }
        }
        this.items = List.copyOf(nodes);
        this.index = new NodeIndex(items.stream().map(item -> item.nodeId).toArray(String[]::new));
        this.itemRetry = new Backoff(options.itemRetryInterval(), options.maxItemRetryInterval());
    }

    /** Hands every item to a new Milo subscription, to be created with it. */
    void addTo(OpcUaSubscription subscription) {
        subscription.setMaxMonitoredItemsPerCall(uint(itemsPerCall));
        for (MonitoredNode item : items) {
            subscription.addMonitoredItem(item.monitored);
        }
    }

    /** The subscription was created afresh: all its items are to create, none waits for its back-off. */
    void allDue(long now) {
        items.forEach(item -> item.dueAt = now);
        deadCount.changed();
    }

    /**
     * Deletes the items that are gone or asked for and creates them afresh, and creates the items
     * not created yet whose retry is due. A call that failed as a whole makes the items {@link
     * #uncertain()}.
     */
    void reconcile(OpcUaSubscription subscription, long now) {
        replace(subscription, now);
        List<MonitoredItemServiceOperationResult> results =
                subscription.createMonitoredItems(monitored -> MonitoredNode.of(monitored).isDue(now));
        report(results, now);
        if (results.stream().anyMatch(result -> result.operationResult().isEmpty())) {
            // A CreateMonitoredItems that failed as a whole (timed out, connection lost) may have
            // created its items all the same. Creating them again would leave the first ones sampling
            // on the server under the same client handles: two or three values per node per publish,
            // and items that count against the server's quota for as long as the session lives.
            // The periodic reconcile deletes the subscription: no loop against a server failing at once.
            uncertain = true;
        }
    }

    /** Whether the server may hold items of the subscription that this client does not know of. */
    boolean uncertain() {
        return uncertain;
    }

    /**
     * The subscription that held uncertain items was deleted: its items are created again in calls
     * half the size of the last ones.
     */
    void afterUncertainDeleted(OpcUaSubscription subscription) {
        // A server too slow to create all items within the request timeout would be so again at
        // every try: smaller calls, each with its own timeout, let the creation get through.
        itemsPerCall = Math.max(MIN_ITEMS_PER_CALL, Math.min(itemsPerCall, items.size()) / 2);
        subscription.setMaxMonitoredItemsPerCall(uint(itemsPerCall));
        uncertain = false;
    }

    int count() {
        return items.size();
    }

    int dead() {
        return deadCount.get(() -> (int) items.stream().filter(MonitoredNode::isDead).count());
    }

    /** The node ids of the dead items, in the order given at creation. */
    List<String> deadNodeIds() {
        if (dead() == 0) {
            return List.of();
        }
        return items.stream().filter(MonitoredNode::isDead).map(item -> item.nodeId).toList();
    }

    /**
     * Marks these nodes' items to be deleted and created again at the next reconcile.
     *
     * @return whether any of the nodes is monitored here
     */
    boolean recreate(Collection<String> nodeIds) {
        boolean any = false;
        for (String nodeId : nodeIds) {
            if (index.indexOf(nodeId) >= 0) {
                recreateRequests.add(nodeId);
                any = true;
            }
        }
        return any;
    }

    /** The status the server refused the last creation of the node's item with; null if it did not. */
    Long refusal(String nodeId) {
        int at = index.indexOf(nodeId);
        return at < 0 ? null : items.get(at).refusedWith;
    }

    /** The current monitored item of each node, in the order given at creation. */
    List<OpcUaMonitoredItem> monitored() {
        return items.stream().map(item -> item.monitored).toList();
    }

    /**
     * Marks an item gone, or alive again when the server has revived it by itself.
     *
     * @param gone collects the node ids newly gone, per status
     */
    void noteStatus(MonitoredNode item, StatusCode status, Map<Long, List<String>> gone) {
        StatusCode known = status == null ? StatusCode.GOOD : status;
        if (!known.isBad()) {
            // nearly every value: no status set to box and look up (bench profile, a quarter of this thread)
            if (item.gone) {
                item.gone = false;
                deadCount.changed();
            }
        } else if (NODE_GONE.contains(known.value())) {
            if (!item.gone) {
                item.gone = true;
                deadCount.changed();
                gone.computeIfAbsent(known.value(), any -> new ArrayList<>()).add(item.nodeId);
            }
        }
    }

    /**
     * Deletes the items that are gone, or asked for, and puts fresh ones in their place for
     * {@link #reconcile} to create; the items asked for are due at once, without back-off.
     */
    private void replace(OpcUaSubscription subscription, long now) {
        List<MonitoredNode> replaced = new ArrayList<>();
        for (MonitoredNode item : items) {
            boolean requested = recreateRequests.remove(item.nodeId);
            if (requested) {
                item.failures = 0;
                item.dueAt = now;
            }
            boolean created = item.monitored.getSyncState() != OpcUaMonitoredItem.SyncState.INITIAL;
            if (created && (requested || (item.gone && item.isDue(now)))) {
                subscription.removeMonitoredItem(item.monitored);
                // still dead (gone) until the new item is created
                item.monitored = newMonitoredItem(item, item.monitored.getReadValueId());
                subscription.addMonitoredItem(item.monitored);
                replaced.add(item);
            }
        }
        if (!replaced.isEmpty()) {
            LOG.debug("{}: deleting {} item(s) to create them again: {}",
                    source, replaced.size(), NodeIdSummary.of(replaced.stream().map(item -> item.nodeId).toList()));
            // a server that has dropped an item with its node may refuse to delete it: that is fine
            for (MonitoredItemServiceOperationResult result : subscription.deleteMonitoredItems()) {
                if (result.operationResult().isEmpty()) {
                    // the old items may still be on the server, sampling for nobody
                    uncertain = true;
                }
                if (!result.isGood()) {
                    LOG.debug("{}: deleting an item of {} failed ({})", source, result.monitoredItem().getReadValueId()
                            .getNodeId().toParseableString(), StatusCodeNames.describe(status(result).value()));
                }
            }
        }
    }

    private MonitoredNode node(String nodeId, int slot, ReadValueId target) {
        MonitoredNode node = new MonitoredNode(nodeId, slot);
        node.monitored = newMonitoredItem(node, target);
        return node;
    }

    /** The item carries its {@link MonitoredNode} (no lookup per value); a new item reads the node's shared target. */
    private OpcUaMonitoredItem newMonitoredItem(MonitoredNode owner, ReadValueId target) {
        OpcUaMonitoredItem item = new MonitoredNode.Item(target, owner); // as newDataItem(nodeId) makes it
        item.setSamplingInterval(options.samplingInterval().toMillis());
        item.setQueueSize(uint(options.queueSize()));
        item.setFilter(EVERY_SOURCE_TIMESTAMP);
        return item;
    }

    /** Takes in the creation results, and logs what changed: one line per status, of bounded length. */
    private void report(List<MonitoredItemServiceOperationResult> results, long now) {
        Map<Long, List<String>> refused = new LinkedHashMap<>();
        List<String> recovered = new ArrayList<>();
        Set<Long> serviceFailures = new LinkedHashSet<>();
        for (MonitoredItemServiceOperationResult result : results) {
            MonitoredNode item = MonitoredNode.of(result.monitoredItem());
            StatusCode status = status(result);
            if (status.isGood()) {
                if (item.refusedWith != null) {
                    recovered.add(item.nodeId);
                }
                item.refusedWith = null;
                item.gone = false;
                item.failures = 0;
            } else if (result.operationResult().isEmpty()) {
                // the request failed as a whole (not connected, too busy): tried again at the next reconcile
                serviceFailures.add(status.value());
            } else {
                item.failures++;
                item.dueAt = now + itemRetry.after(item.failures).toNanos();
                Long before = item.refusedWith;
                item.refusedWith = status.value();
                if (before == null || before != status.value()) {
                    refused.computeIfAbsent(status.value(), any -> new ArrayList<>()).add(item.nodeId);
                }
            }
        }
        if (!results.isEmpty()) {
            deadCount.changed(); // the periodic reconcile with nothing to create leaves the count as it is
        }
        serviceFailures.forEach(status -> LOG.debug("{}: could not create monitored items ({}), retrying",
                source, StatusCodeNames.describe(status)));
        refused.forEach((status, nodeIds) -> LOG.warn(
                "{}: cannot monitor {} node(s) ({}): {}; retrying after {}, doubling up to {}",
                source, nodeIds.size(), StatusCodeNames.describe(status), NodeIdSummary.of(nodeIds),
                options.itemRetryInterval(), options.maxItemRetryInterval()));
        if (!recovered.isEmpty()) {
            LOG.info("{}: {} node(s) are monitored now: {}", source, recovered.size(), NodeIdSummary.of(recovered));
        }
    }

    private static StatusCode status(MonitoredItemServiceOperationResult result) {
        return result.operationResult().orElse(result.serviceResult());
    }
}
