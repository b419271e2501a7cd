package io.busbar.connectors.opcua;

import io.busbar.mappings.model.RawSample;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;

/**
 * The connector's receive path without a server, for {@code bench/ingest-cost}: a real
 * {@link MonitoredSubscription} over the nodes, whose listener gets the decoded values of a publish
 * response as Milo would hand them over. In the connector's package because the subscription and
 * its listener are not public.
 */
public final class MiloCallbackProbe {

    private final MonitoredSubscription subscription;
    private final List<OpcUaMonitoredItem> items;

    public MiloCallbackProbe(List<String> nodeIds, Consumer<List<RawSample>> delivery) {
        this.subscription = new MonitoredSubscription("bench", nodeIds, delivery, () -> { },
                OpcUaSourceOptions.builder("opc.tcp://bench:4840").build());
        this.items = subscription.monitoredItems();
    }

    /** One publish response: {@code values.get(i)} is the value of the i-th node. */
    public void publish(List<DataValue> values) {
        subscription.listener().onDataReceived(null, items, values);
    }
}
