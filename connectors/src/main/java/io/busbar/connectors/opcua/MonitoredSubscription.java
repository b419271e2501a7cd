package io.busbar.connectors.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.busbar.mappings.RawSample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.subscriptions.MonitoredItemServiceOperationResult;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DataChangeTrigger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DeadbandType;
import org.eclipse.milo.opcua.stack.core.types.structured.DataChangeFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Milo subscription over a fixed list of nodes that {@link #reconcile} keeps in existence on the
 * server, whatever happened to it.
 *
 * <p>Milo transfers subscriptions to a new session after a reconnect. When the server has lost them
 * (it restarted) the transfer fails, Milo resets the subscription to its initial state and calls
 * {@code onTransferFailed}; a subscription can also time out on the server. In both cases this
 * class asks its owner for a reconcile, which creates the subscription and its items again. Items
 * the server refused, e.g. with {@code Bad_NodeIdUnknown} while a restarted server is still
 * building its address space, stay in their initial state and are tried again at every reconcile.
 *
 * <p>Every item uses the data change trigger StatusValueTimestamp: a meter reading that repeats the
 * previous value at a new source time is still a reading.
 *
 * <p>{@link #reconcile} is called from one thread only; Milo calls the listener on its own threads.
 */
final class MonitoredSubscription implements SourceSubscription {

    private static final Logger LOG = LoggerFactory.getLogger(MonitoredSubscription.class);
    private static final DataChangeFilter EVERY_SOURCE_TIMESTAMP = new DataChangeFilter(
            DataChangeTrigger.StatusValueTimestamp, uint(DeadbandType.None.getValue()), 0.0);

    private final String source;
    private final List<String> nodeIds;
    private final Consumer<List<RawSample>> delivery;
    private final Runnable reconcileRequest;
    private final OpcUaSourceOptions options;
    /** The last failure logged per node id, so a node that keeps failing is reported once. */
    private final Map<String, Long> reportedFailures = new HashMap<>();
    private volatile OpcUaSubscription subscription;
    private volatile boolean publishing = true;
    /** What was last asked of the server for the current subscription (a new one starts publishing). */
    private boolean requestedPublishing = true;
    private java.util.concurrent.CompletableFuture<?> publishingInFlight = java.util.concurrent.CompletableFuture.completedFuture(null);

    /**
     * @param source names the source in logs
     * @param nodeIds the nodes to monitor, in OPC UA text form
     * @param delivery receives the samples of each publish response
     * @param reconcileRequest asks the owner to call {@link #reconcile} soon
     */
    MonitoredSubscription(
            String source,
            List<String> nodeIds,
            Consumer<List<RawSample>> delivery,
            Runnable reconcileRequest,
            OpcUaSourceOptions options) {
        this.source = source;
        this.nodeIds = List.copyOf(nodeIds);
        this.delivery = delivery;
        this.reconcileRequest = reconcileRequest;
        this.options = options;
    }

    /**
     * Creates whatever is missing on the server: the subscription itself, and the items not created
     * yet. Does nothing when all is in place.
     *
     * @throws UaException if the subscription could not be created
     */
    void reconcile(OpcUaClient client) throws UaException {
        if (subscription == null) {
            subscription = newSubscription(client);
        }
        if (subscription.getSyncState() == OpcUaSubscription.SyncState.INITIAL) {
            subscription.create();
            LOG.debug("{}: created a subscription for {} nodes", source, nodeIds.size());
            synchronized (this) {
                requestedPublishing = true;
            }
            applyPublishing();
        }
        report(subscription.createMonitoredItems());
    }

    @Override
    public void setPublishing(boolean enabled) {
        publishing = enabled;
        applyPublishing();
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
        for (String nodeId : nodeIds) {
            OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(NodeId.parse(nodeId));
            item.setSamplingInterval(options.samplingInterval().toMillis());
            item.setQueueSize(uint(options.queueSize()));
            item.setFilter(EVERY_SOURCE_TIMESTAMP);
            item.setUserObject(nodeId);
            created.addMonitoredItem(item);
        }
        created.setSubscriptionListener(new Listener());
        return created;
    }

    private void report(List<MonitoredItemServiceOperationResult> results) {
        for (MonitoredItemServiceOperationResult result : results) {
            String nodeId = (String) result.monitoredItem().getUserObject().orElseThrow();
            StatusCode status = result.operationResult().orElse(result.serviceResult());
            Long reported = reportedFailures.get(nodeId);
            if (status.isGood()) {
                if (reported != null) {
                    LOG.info("{}: {} is monitored now", source, nodeId);
                    reportedFailures.remove(nodeId);
                }
            } else if (result.operationResult().isEmpty()) {
                LOG.debug("{}: could not create monitored items ({}), retrying",
                        source, StatusCodeNames.describe(status.value()));
            } else if (reported == null || reported != status.value()) {
                LOG.warn("{}: cannot monitor {} ({}), retrying every {}",
                        source, nodeId, StatusCodeNames.describe(status.value()), options.itemRetryInterval());
                reportedFailures.put(nodeId, status.value());
            }
        }
    }

    private final class Listener implements OpcUaSubscription.SubscriptionListener {

        @Override
        public void onDataReceived(
                OpcUaSubscription subscription, List<OpcUaMonitoredItem> items, List<DataValue> values) {
            List<RawSample> batch = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) {
                String nodeId = (String) items.get(i).getUserObject().orElseThrow();
                batch.add(DataValues.toRawSample(nodeId, values.get(i)));
            }
            if (!batch.isEmpty()) {
                delivery.accept(batch);
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
