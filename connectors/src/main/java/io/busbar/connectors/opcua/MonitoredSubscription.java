package io.busbar.connectors.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.SampleColumns;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Milo subscription over a fixed set of nodes that {@link #reconcile} keeps in existence on the
 * server, whatever happened to it or to its nodes; its items are {@link MonitoredItems}.
 *
 * <p>Milo transfers subscriptions to a new session after a reconnect. When the server has lost them
 * (it restarted) the transfer fails, Milo resets the subscription to its initial state and calls
 * {@code onTransferFailed}; a subscription can also time out on the server. In both cases this
 * class asks its owner for a reconcile, which creates the subscription and its items again.
 *
 * <p>Notifications with a "node gone" status are still delivered like any sample, with their status
 * code and usually without a value: to the engine they are what the server said about the node.
 *
 * <p>{@link #reconcile} is called from the owner's one thread only; Milo calls the listener on its
 * own threads; the {@link SourceSubscription} methods may be called from any thread.
 */
final class MonitoredSubscription implements SourceSubscription {

    private static final Logger LOG = LoggerFactory.getLogger(MonitoredSubscription.class);
    /** A few nodes' subscription still takes a burst of queued values in one response. */
    static final int MIN_NOTIFICATIONS_PER_PUBLISH = 1_000;
    /**
     * How often a new subscription publishes until its first data arrives. An item reports its current
     * value when it is created, but the server sends it only when the first publishing interval ends:
     * at a configured second, that wait was a fifth of the time from launch to the first reading
     * (bench/startup-idle, 2026-12-06), and it recurs after every reconnect to a server that lost the
     * subscription. Once data came the configured interval is asked for again (ModifySubscription).
     */
    static final Duration FIRST_PUBLISHING_INTERVAL = Duration.ofMillis(100);
    /**
     * How often an idle subscription hears from the server at the configured interval (Milo's own
     * target), and so its keep-alive count; the lifetime is {@link #LIFETIME_KEEP_ALIVES} of them.
     *
     * <p>Both counts are fixed for the configured interval and kept through the quick first interval,
     * where the lifetime's count is scaled to the same duration. Why: a server need not restart its
     * keep-alive countdown on ModifySubscription (Milo's does not), so the countdown of the quick
     * interval's count — Milo recalculates 100 for 100 ms — went on at the configured second: the next
     * keep-alive of a subscription whose values do not change (the ServiceLevel's) was due after 100 s,
     * its new lifetime of 50 ended first, and the server dropped it ("timed out", a gap read back from
     * history) in 5 of 12 runs of a 20-meter `run` over a minute long, 50 s after start (2026-12-06).
     */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(10);
    static final int LIFETIME_KEEP_ALIVES = 5;

    private final String source;
    private final MonitoredItems items;
    private final Consumer<List<RawSample>> delivery;
    private final Runnable lost;
    private final Runnable reconcileRequest;
    private final OpcUaSourceOptions options;
    private volatile OpcUaSubscription subscription;
    private volatile boolean publishing = true;
    /** What was last asked of the server for the current subscription (a new one starts publishing). */
    private boolean requestedPublishing = true;
    private CompletableFuture<?> publishingInFlight = CompletableFuture.completedFuture(null);
    /** The subscription publishes at {@link #FIRST_PUBLISHING_INTERVAL}, not yet at the configured interval. */
    private volatile boolean publishingQuickly;
    private volatile boolean firstDataArrived;
    /** A refused restore is retried at every reconcile (every item retry interval) but logged once per creation. */
    private boolean restoreRefusalLogged;
    private final Listener listener = new Listener();

    /** A subscription whose lost publish responses nobody needs to know of (the ServiceLevel's). */
    MonitoredSubscription(String source, List<String> nodeIds, Consumer<List<RawSample>> delivery,
                          Runnable reconcileRequest, OpcUaSourceOptions options) {
        this(source, nodeIds, delivery, () -> { }, reconcileRequest, options);
    }

    /**
     * @param source names the source in logs
     * @param nodeIds the nodes to monitor, in OPC UA text form; a node listed twice is monitored once
     * @param delivery receives the samples of each publish response
     * @param lost told when publish responses were lost for good (a sequence gap republish could not fill)
     * @param reconcileRequest asks the owner to call {@link #reconcile} soon, on its thread
     */
    MonitoredSubscription(
            String source,
            List<String> nodeIds,
            Consumer<List<RawSample>> delivery,
            Runnable lost,
            Runnable reconcileRequest,
            OpcUaSourceOptions options) {
        this.source = source;
        this.options = options;
        this.items = new MonitoredItems(source, nodeIds, options);
        this.delivery = delivery;
        this.lost = lost;
        this.reconcileRequest = reconcileRequest;
    }

    /**
     * Creates whatever is missing on the server: the subscription itself, the items not created yet
     * whose retry is due, and afresh the items that are gone or asked for by {@link #recreateItems}.
     * Does nothing when all is in place.
     *
     * @throws UaException if the subscription could not be created; {@link
     *     UncertainSubscriptionException} if the server may have created it all the same
     */
    void reconcile(OpcUaClient client) throws UaException {
        if (subscription == null) {
            subscription = newSubscription(client);
        }
        if (items.uncertain()) {
            deleteUncertainSubscription();
        }
        long now = System.nanoTime();
        if (subscription.getSyncState() == OpcUaSubscription.SyncState.INITIAL) {
            publishQuicklyAtFirst();
            create();
            LOG.debug("{}: created a subscription for {} nodes", source, items.count());
            items.allDue(now);
            synchronized (this) {
                requestedPublishing = true;
            }
            applyPublishing();
        }
        items.reconcile(subscription, now);
        if (publishingQuickly && firstDataArrived) {
            restoreConfiguredPublishingInterval();
        }
    }

    private void publishQuicklyAtFirst() {
        long configured = options.publishingInterval().toMillis();
        long first = Math.min(configured, FIRST_PUBLISHING_INTERVAL.toMillis());
        subscription.setPublishingInterval((double) first);
        subscription.setLifetimeCount(uint(lifetimeCount(configured, first)));
        firstDataArrived = false;
        restoreRefusalLogged = false;
        publishingQuickly = first < configured;
    }

    private void restoreConfiguredPublishingInterval() {
        long configured = options.publishingInterval().toMillis();
        subscription.setPublishingInterval((double) configured);
        subscription.setLifetimeCount(uint(lifetimeCount(configured, configured)));
        try {
            subscription.modify();
            publishingQuickly = false;
            LOG.debug("{}: first data arrived, publishing every {} ms from now on", source,
                    subscription.getRevisedPublishingInterval().orElse(Double.NaN));
        } catch (UaException e) {
            if (!restoreRefusalLogged) {
                LOG.info("{}: could not set the publishing interval back to {} ms ({}); it stays at the quick first"
                        + " interval, which costs only more publish responses, and is tried again at each reconcile",
                        source, configured, StatusCodeNames.describe(e));
                restoreRefusalLogged = true;
            } else {
                LOG.debug("{}: setting the publishing interval back failed again: {}", source, StatusCodeNames.describe(e));
            }
        }
    }

    /**
     * @throws UncertainSubscriptionException if the request failed as a whole: the server may hold
     *     the subscription all the same (Milo left it in its initial state, to be created again)
     */
    private void create() throws UaException {
        try {
            subscription.create();
        } catch (UaException e) {
            throw UncertainSubscriptionException.mayHaveCreated(e) ? new UncertainSubscriptionException(e) : e;
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
        items.afterUncertainDeleted(subscription);
    }

    @Override
    public void setPublishing(boolean enabled) {
        publishing = enabled;
        applyPublishing();
    }

    @Override
    public int deadItems() {
        return items.dead();
    }

    @Override
    public int itemCount() {
        return items.count();
    }

    /**
     * Returns at once; the items are deleted and created at the next reconcile, which this requests
     * (while disconnected: as soon as the session is back). Node ids this subscription does not
     * monitor are ignored.
     */
    @Override
    public void recreateItems(Collection<String> nodeIds) {
        if (items.recreate(nodeIds)) {
            reconcileRequest.run();
        }
    }

    /** The node ids of the dead items, in the order given at creation. */
    @Override
    public List<String> deadNodeIds() {
        return items.deadNodeIds();
    }

    /** The status the server refused the last creation of the node's item with; null if it did not. */
    Long refusal(String nodeId) {
        return items.refusal(nodeId);
    }

    /** What Milo calls with each publish response; for tests and the ingest-cost bench, which call it without a server. */
    OpcUaSubscription.SubscriptionListener listener() {
        return listener;
    }

    /** The current monitored item of each node, in the order given at creation (what Milo passes to the listener). */
    List<OpcUaMonitoredItem> monitoredItems() {
        return items.monitored();
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
        // fixed for the configured interval, also while publishing quickly at first (KEEP_ALIVE)
        created.setLifetimeAndKeepAliveCalculated(false);
        created.setMaxKeepAliveCount(uint(keepAliveCount(options.publishingInterval().toMillis())));
        created.setMaxNotificationsPerPublish(uint(maxNotificationsPerPublish(items.count(), options)));
        items.addTo(created);
        created.setSubscriptionListener(listener);
        return created;
    }

    /** Publishing intervals of {@code publishingMs} between two keep-alives of an idle subscription. */
    static long keepAliveCount(long publishingMs) {
        long publishing = Math.max(1, publishingMs);
        return Math.max(1, (KEEP_ALIVE.toMillis() + publishing - 1) / publishing);
    }

    /**
     * The lifetime count at {@code currentMs} that lasts as long as {@link #LIFETIME_KEEP_ALIVES}
     * keep-alives at the configured interval.
     */
    static long lifetimeCount(long configuredMs, long currentMs) {
        long lifetimeMs = LIFETIME_KEEP_ALIVES * keepAliveCount(configuredMs) * Math.max(1, configuredMs);
        long current = Math.max(1, currentMs);
        return Math.min(0xFFFF_FFFFL, (lifetimeMs + current - 1) / current);
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

    private final class Listener implements OpcUaSubscription.SubscriptionListener {

        @Override
        public void onDataReceived(
                OpcUaSubscription subscription, List<OpcUaMonitoredItem> monitored, List<DataValue> values) {
            SampleColumns.Builder batch = SampleColumns.builder(monitored.size());
            Map<Long, List<String>> gone = new LinkedHashMap<>();
            for (int i = 0; i < monitored.size(); i++) {
                OpcUaMonitoredItem from = monitored.get(i);
                MonitoredNode item = MonitoredNode.of(from);
                DataValue value = values.get(i);
                DataValues.add(batch, item.nodeId, item.slot, value);
                if (item.monitored == from) { // not a late value of an item replaced meanwhile
                    items.noteStatus(item, value.statusCode(), gone);
                }
            }
            if (batch.size() > 0) {
                delivery.accept(batch.build());
                if (publishingQuickly && !firstDataArrived) {
                    firstDataArrived = true;
                    reconcileRequest.run();
                }
            }
            if (!gone.isEmpty()) {
                gone.forEach((status, nodeIds) -> LOG.info("{}: the server reports {} monitored node(s) gone ({}): {}; "
                        + "creating their items again", source, nodeIds.size(), StatusCodeNames.describe(status),
                        NodeIdSummary.of(nodeIds)));
                reconcileRequest.run();
            }
        }

        @Override
        public void onNotificationDataLost(OpcUaSubscription subscription) {
            LOG.warn("{}: publish responses of the server were lost (a gap in their sequence numbers that it could"
                    + " not republish); what they carried is read back from history", source);
            lost.run();
        }

        @Override
        public void onTransferFailed(OpcUaSubscription subscription, StatusCode status) {
            LOG.info("{}: the server lost the subscription ({}), creating it again; the time without it is read"
                    + " back from history", source, StatusCodeNames.describe(status.value()));
            lost.run(); // what changed while it was gone never comes: new items report current values only
            reconcileRequest.run();
        }

        @Override
        public void onStatusChanged(OpcUaSubscription subscription, StatusCode status) {
            if (status.value() == StatusCodes.Bad_Timeout) {
                LOG.info("{}: the subscription timed out on the server, creating it again; the time without it"
                        + " is read back from history", source);
                lost.run();
                reconcileRequest.run();
            }
        }
    }
}
