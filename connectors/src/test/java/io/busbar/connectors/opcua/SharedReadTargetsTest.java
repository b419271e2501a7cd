package io.busbar.connectors.opcua;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.junit.jupiter.api.Test;

/** Both servers' subscriptions of a pair read the same targets: one parsed node id per tag, not one per item. */
class SharedReadTargetsTest {

    @Test
    void sameList_sameTargets_asMiloWouldMakeThem() {
        List<String> nodeIds = List.of("ns=2;s=Meter1.Energy", "ns=3;i=42");
        List<String> equalList = List.of(new String("ns=2;s=Meter1.Energy"), "ns=3;i=42");
        var targets = SharedReadTargets.of(nodeIds);
        assertThat(SharedReadTargets.of(equalList).get(0)).isSameAs(targets.get(0));
        assertThat(targets.get(1)).isEqualTo(OpcUaMonitoredItem.newDataItem(NodeId.parse("ns=3;i=42")).getReadValueId());
    }

    @Test
    void twoSubscriptionsOfAPair_shareTargets_andDropTwiceListedNodes() {
        List<String> nodeIds = List.of("ns=2;s=A", "ns=2;s=B", "ns=2;s=A");
        OpcUaSourceOptions options = OpcUaSourceOptions.builder("opc.tcp://127.0.0.1:1/none").build();
        MonitoredSubscription primary = new MonitoredSubscription("p", nodeIds, batch -> { }, () -> { }, options);
        MonitoredSubscription secondary = new MonitoredSubscription("s", nodeIds, batch -> { }, () -> { }, options);
        assertThat(primary.itemCount()).isEqualTo(2);
        assertThat(primary.monitoredItems().get(1).getReadValueId())
                .isSameAs(secondary.monitoredItems().get(1).getReadValueId());
        assertThat(primary.monitoredItems().get(1)).isNotSameAs(secondary.monitoredItems().get(1));
        assertThat(primary.refusal("ns=2;s=B")).isNull();
    }

    @Test
    void aListChangedAfterwards_neverGetsAnotherListsTargets() {
        List<String> nodeIds = new java.util.ArrayList<>(List.of("ns=2;s=X1"));
        assertThat(SharedReadTargets.of(nodeIds).get(0).getNodeId()).isEqualTo(NodeId.parse("ns=2;s=X1"));
        nodeIds.set(0, "ns=2;s=X2");
        assertThat(SharedReadTargets.of(nodeIds).get(0).getNodeId()).isEqualTo(NodeId.parse("ns=2;s=X2"));
    }
}
