package io.busbar.connectors.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.busbar.mappings.model.RawSample;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.subscriptions.MonitoredItemServiceOperationResult;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DataChangeTrigger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DeadbandType;
import org.eclipse.milo.opcua.stack.core.types.structured.DataChangeFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Milo subscription over a fixed set of nodes that {@link #reconcile} keeps in existence on the
 * server, whatever happened to it or to its nodes.
 *
 * <p>Milo transfers subscriptions to a new session after a reconnect. When the server has lost them
 * (it restarted) the transfer fails, Milo resets the subscription to its initial state and calls
 * {@code onTransferFailed}; a subscription can also time out on the server. In both cases this
 * class asks its owner for a reconcile, which creates the subscription and its items again.
 *
 * <p>An item is <em>dead</em> when the server refused to create it (e.g. {@code Bad_NodeIdUnknown}
 * while a restarted server is still building its address space), or when a notification says its
 * node is gone ({@link #NODE_GONE}). Some servers delete nodes and create them again (NETx deletes
 * its meter nodes while standby and re-creates them when active), and an item on the old node stays
 * dead for good even when the node is back. A gone item is therefore deleted and created afresh at
 * the next reconcile; a refused one is tried again after {@link OpcUaSourceOptions#itemRetryInterval()},
 * doubling per refusal up to {@link OpcUaSourceOptions#maxItemRetryInterval()}. {@link
 * #recreateItems} does the same for chosen nodes at once.
 *
 * <p>Notifications with a "node gone" status are still delivered like any sample, with their status
 * code and usually without a value: to the engine they are what the server said about the node.
 *
 * <p>Every item uses the data change trigger StatusValueTimestamp: a meter reading that repeats the
 * previous value at a new source time is still a reading.
 *
 * <p>{@link #reconcile} is called from the owner's one thread only; Milo calls the listener on its
 * own threads; the {@link SourceSubscription} methods may be called from any thread.
 */
final class MonitoredSubscription implements SourceSubscription {

    /** Statuses with which a server says that a monitored node no longer exists. */
    static final Set<Long> NODE_GONE = Set.of(
            StatusCodes.Bad_NodeIdUnknown, StatusCodes.Bad_NodeIdInvalid, StatusCodes.Bad_ObjectDeleted);

    /** The smallest CreateMonitoredItems call that halving after failed creations goes down to. */
    private static final int MIN_ITEMS_PER_CALL = 250;
    private static final Logger LOG = LoggerFactory.getLogger(MonitoredSubscription.class);
    /** A few nodes' subscription still takes a burst of queued values in one response. */
    static final int MIN_NOTIFICATIONS_PER_PUBLISH = 1_000;
    private static final DataChangeFilter EVERY_SOURCE_TIMESTAMP = new DataChangeFilter(
            DataChangeTrigger.StatusValueTimestamp, uint(DeadbandType.None.getValue()), 0.0);

    private final String source;
    /** One per node id, in the order given; the set of nodes never changes. */
    private final List<MonitoredNode> items;
    /** Where each node's item stands in {@link #items}. */
    private final NodeIndex index;
    private final Consumer<List<RawSample>> delivery;
    private final Runnable reconcileRequest;
    private final OpcUaSourceOptions options;
    private final Backoff itemRetry;
    /** Node ids whose items {@link #recreateItems} asked to create again at the next reconcile. */
    private final Set<String> recreateRequests = ConcurrentHashMap.newKeySet();
    private volatile OpcUaSubscription subscription;
    private volatile boolean publishing = true;
    /** What was last asked of the server for the current subscription (a new one starts publishing). */
    private boolean requestedPublishing = true;
    /**
     * Set when a CreateMonitoredItems failed as a whole: the server may have created items this
     * client does not know of. Only the owner's thread reads and writes it.
     */
    private boolean itemsUncertain;
    /** Items per CreateMonitoredItems call: Milo's default until a creation failed as a whole, halved per failure. */
    private int itemsPerCall = Integer.MAX_VALUE;
    private CompletableFuture<?> publishingInFlight = CompletableFuture.completedFuture(null);
    private final Listener listener = new Listener();
    /** Counted again only after an item changed: the pair asks every 100 ms per server (a scan of every item). */
    private final DeadCount deadCount = new DeadCount();

    /**
     * @param source names the source in logs
     * @param nodeIds the nodes to monitor, in OPC UA text form; a node listed twice is monitored once
     * @param delivery receives the samples of each publish response
     * @param reconcileRequest asks the owner to call {@link #reconcile} soon, on its thread
     */
    MonitoredSubscription(
            String source,
            List<String> nodeIds,
            Consumer<List<RawSample>> delivery,
            Runnable reconcileRequest,
            OpcUaSourceOptions options) {
        this.source = source;
        this.options = options;
        // the same targets for every subscription of this list: both servers of a pair share them
        List<ReadValueId> targets = SharedReadTargets.of(nodeIds);
        Set<String> seen = new HashSet<>(nodeIds.size() * 2);
        List<MonitoredNode> nodes = new ArrayList<>(nodeIds.size());
        for (int i = 0; i < nodeIds.size(); i++) {
            if (seen.add(nodeIds.get(i))) {
                nodes.add(node(nodeIds.get(i), targets.get(i)));
            }
        }
        this.items = List.copyOf(nodes);
        this.index = new NodeIndex(items.stream().map(item -> item.nodeId).toArray(String[]::new));
        this.delivery = delivery;
        this.reconcileRequest = reconcileRequest;
        this.itemRetry = new Backoff(options.itemRetryInterval(), options.maxItemRetryInterval());
    }

    /**
     * Creates whatever is missing on the server: the subscription itself, the items not created yet
     * whose retry is due, and afresh the items that are gone or asked for by {@link #recreateItems}.
     * Does nothing when all is in place.
     *
     * @throws UaException if the subscription could not be created
     */
    void reconcile(OpcUaClient client) throws UaException {
        if (subscription == null) {
            subscription = newSubscription(client);
        }
        if (itemsUncertain) {
            deleteUncertainSubscription();
        }
        long now = System.nanoTime();
        if (subscription.getSyncState() == OpcUaSubscription.SyncState.INITIAL) {
            subscription.create();
            LOG.debug("{}: created a subscription for {} nodes", source, items.size());
            // a new subscription starts with all its items to create: none waits for its back-off
            items.forEach(item -> item.dueAt = now);
            deadCount.changed();
            synchronized (this) {
                requestedPublishing = true;
            }
            applyPublishing();
        }
        replaceItems(now);
        List<MonitoredItemServiceOperationResult> results =
                subscription.createMonitoredItems(monitored -> MonitoredNode.of(monitored).isDue(now));
        report(results, now);
        if (results.stream().anyMatch(result -> result.operationResult().isEmpty())) {
            // A CreateMonitoredItems that failed as a whole (timed out, connection lost) may have
            // created its items all the same. Creating them again would leave the first ones sampling
            // on the server under the same client handles: two or three values per node per publish,
            // and items that count against the server's quota for as long as the session lives.
            // The periodic reconcile deletes the subscription: no loop against a server failing at once.
            itemsUncertain = true;
        }
    }

    /**
     * Deletes the subscription on the server, with whatever items it holds there, so the next steps
     * of {@link #reconcile} create it and every item afresh; Milo resets it to its initial state.
     *
     * @throws UaException if the server could not be asked; tried again at the next reconcile
     */
    private void deleteUncertainSubscription() throws UaException {
        if (subscription.getSyncState() != OpcUaSubscription.SyncState.INITIAL) {
            LOG.info("{}: creating monitored items failed as a whole, the server may hold some of them: "
                    + "deleting the subscription to create it again", source);
            try {
                subscription.delete();
            } catch (UaException e) {
                // Bad_SubscriptionIdInvalid: it is gone already, and Milo has reset it
                if (subscription.getSyncState() != OpcUaSubscription.SyncState.INITIAL) {
                    throw e;
                }
            }
        }
        // A server too slow to create all items within the request timeout would be so again at
        // every try: smaller calls, each with its own timeout, let the creation get through.
        itemsPerCall = Math.max(MIN_ITEMS_PER_CALL, Math.min(itemsPerCall, items.size()) / 2);
        subscription.setMaxMonitoredItemsPerCall(uint(itemsPerCall));
        itemsUncertain = false;
    }

    @Override
    public void setPublishing(boolean enabled) {
        publishing = enabled;
        applyPublishing();
    }

    @Override
    public int deadItems() {
        return deadCount.get(() -> (int) items.stream().filter(MonitoredNode::isDead).count());
    }

    @Override
    public int itemCount() {
        return items.size();
    }

    /**
     * Returns at once; the items are deleted and created at the next reconcile, which this requests
     * (while disconnected: as soon as the session is back). Node ids this subscription does not
     * monitor are ignored.
     */
    @Override
    public void recreateItems(Collection<String> nodeIds) {
        boolean any = false;
        for (String nodeId : nodeIds) {
            if (index.indexOf(nodeId) >= 0) {
                recreateRequests.add(nodeId);
                any = true;
            }
        }
        if (any) {
            reconcileRequest.run();
        }
    }

    /** The node ids of the dead items, in the order given at creation. */
    @Override
    public List<String> deadNodeIds() {
        if (deadItems() == 0) {
            return List.of();
        }
        return items.stream().filter(MonitoredNode::isDead).map(item -> item.nodeId).toList();
    }

    /** The status the server refused the last creation of the node's item with; null if it did not. */
    Long refusal(String nodeId) {
        int at = index.indexOf(nodeId);
        return at < 0 ? null : items.get(at).refusedWith;
    }

    /** What Milo calls with each publish response; for tests and the ingest-cost bench, which call it without a server. */
    OpcUaSubscription.SubscriptionListener listener() {
        return listener;
    }

    /** The current monitored item of each node, in the order given at creation (what Milo passes to the listener). */
    List<OpcUaMonitoredItem> monitoredItems() {
        return items.stream().map(item -> item.monitored).toList();
    }

    /**
     * Deletes the items that are gone, or asked for, and puts fresh ones in their place for
     * {@link #reconcile} to create; the items asked for are due at once, without back-off.
     */
    private void replaceItems(long now) {
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
                    itemsUncertain = true;
                }
                if (!result.isGood()) {
                    LOG.debug("{}: deleting an item of {} failed ({})", source, result.monitoredItem().getReadValueId()
                            .getNodeId().toParseableString(), StatusCodeNames.describe(status(result).value()));
                }
            }
        }
    }

    /**
     * Brings the server's publishing mode to the wanted one. Serialised, and called both after a
     * change of the wanted mode and after the subscription is (re)created, so neither order of the
     * two can leave a stale mode behind.
     */
    private synchronized void applyPublishing() {
        OpcUaSubscription current = subscription;
        boolean wanted = publishing;
        // One SetPublishingMode at a time: two in flight (off at creation, on at failover) may be
        // applied by the server in either order and leave a warm standby's subscription off for good.
        // A change wanted meanwhile is sent when the call in flight completes.
        if (current == null || current.getSyncState() == OpcUaSubscription.SyncState.INITIAL
                || !publishingInFlight.isDone() || requestedPublishing == wanted) {
            return;
        }
        requestedPublishing = wanted;
        publishingInFlight = current.setPublishingModeAsync(wanted).toCompletableFuture().whenComplete((done, failure) -> {
            if (failure != null) {
                LOG.info("{}: could not turn publishing {}: {}; it is applied when the subscription is created again",
                        source, wanted ? "on" : "off", failure.toString());
            }
        });
        publishingInFlight.whenComplete((done, failure) -> applyPublishing());
    }

    private OpcUaSubscription newSubscription(OpcUaClient client) {
        OpcUaSubscription created = new OpcUaSubscription(client, options.publishingInterval().toMillis());
        created.setMaxNotificationsPerPublish(uint(maxNotificationsPerPublish(items.size(), options)));
        for (MonitoredNode item : items) {
            created.addMonitoredItem(item.monitored);
        }
        created.setSubscriptionListener(listener);
        return created;
    }

    /**
     * Bounds one publish response. Milo decodes a whole response before the listener sees it and
     * keeps up to one more response per subscription waiting; a server that fell behind sends every
     * item's queued values at once (10,000 items × a queue of 10 = 100,000 values), so when ingest was
     * behind, 125,598–262,140 decoded values sat in Milo's responses in a 256 MB heap (bench,
     * 2026-12-04). Twice one publishing interval's values keeps a caught-up publish whole — an item
     * gives up to one value per sampling interval, and never more than its queue holds — while the
     * rest of a backlog stays on the server, which sends it with the next responses ("more
     * notifications").
     */
    static int maxNotificationsPerPublish(int items, OpcUaSourceOptions options) {
        long samplingMs = Math.max(1, options.samplingInterval().toMillis());
        long perItem = (options.publishingInterval().toMillis() + samplingMs - 1) / samplingMs;
        perItem = Math.max(1, Math.min(perItem, options.queueSize()));
        return (int) Math.min(Integer.MAX_VALUE, Math.max(MIN_NOTIFICATIONS_PER_PUBLISH, 2L * items * perItem));
    }

    private MonitoredNode node(String nodeId, ReadValueId target) {
        MonitoredNode node = new MonitoredNode(nodeId);
        node.monitored = newMonitoredItem(node, target);
        return node;
    }

    /** The item carries its {@link MonitoredNode} (no lookup per value); a new item reads the node's shared target. */
    private OpcUaMonitoredItem newMonitoredItem(MonitoredNode owner, ReadValueId target) {
        OpcUaMonitoredItem item = new OpcUaMonitoredItem(target); // as newDataItem(nodeId) makes it
        item.setSamplingInterval(options.samplingInterval().toMillis());
        item.setQueueSize(uint(options.queueSize()));
        item.setFilter(EVERY_SOURCE_TIMESTAMP);
        item.setUserObject(owner);
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

    private final class Listener implements OpcUaSubscription.SubscriptionListener {

        @Override
        public void onDataReceived(
                OpcUaSubscription subscription, List<OpcUaMonitoredItem> monitored, List<DataValue> values) {
            List<RawSample> batch = new ArrayList<>(monitored.size());
            Map<Long, List<String>> gone = new LinkedHashMap<>();
            DataValues.Times times = new DataValues.Times();
            for (int i = 0; i < monitored.size(); i++) {
                OpcUaMonitoredItem from = monitored.get(i);
                MonitoredNode item = MonitoredNode.of(from);
                DataValue value = values.get(i);
                batch.add(DataValues.toRawSample(item.nodeId, value, times));
                if (item.monitored == from) { // not a late value of an item replaced meanwhile
                    noteStatus(item, value.statusCode(), gone);
                }
            }
            if (!batch.isEmpty()) {
                delivery.accept(batch);
            }
            if (!gone.isEmpty()) {
                gone.forEach((status, nodeIds) -> LOG.info("{}: the server reports {} monitored node(s) gone ({}): {}; "
                        + "creating their items again", source, nodeIds.size(), StatusCodeNames.describe(status),
                        NodeIdSummary.of(nodeIds)));
                reconcileRequest.run();
            }
        }

        /** Marks an item gone, or alive again when the server has revived it by itself. */
        private void noteStatus(MonitoredNode item, StatusCode status, Map<Long, List<String>> gone) {
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

        @Override
        public void onTransferFailed(OpcUaSubscription subscription, StatusCode status) {
            LOG.info("{}: the server lost the subscription ({}), creating it again",
                    source, StatusCodeNames.describe(status.value()));
            reconcileRequest.run();
        }

        @Override
        public void onStatusChanged(OpcUaSubscription subscription, StatusCode status) {
            if (status.value() == StatusCodes.Bad_Timeout) {
                LOG.info("{}: the subscription timed out on the server, creating it again", source);
                reconcileRequest.run();
            }
        }
    }
}
