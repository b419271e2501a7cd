package io.busbar.connectors.opcua;

import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.SampleColumns;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.junit.jupiter.api.Test;

/** What the subscription makes of a publish response, handed to its listener as Milo would, without a server. */
class MonitoredSubscriptionListenerTest {

    private static final DateTime AT = new DateTime(Instant.parse("2026-12-04T10:00:00Z"));

    private final List<List<RawSample>> delivered = new ArrayList<>();
    private final AtomicInteger reconcileRequests = new AtomicInteger();
    private final AtomicInteger lost = new AtomicInteger();
    private final MonitoredSubscription subscription = new MonitoredSubscription("test", List.of("ns=2;s=A", "ns=2;s=B"),
            delivered::add, lost::incrementAndGet, reconcileRequests::incrementAndGet,
            OpcUaSourceOptions.builder("opc.tcp://test:4840").build());

    @Test
    void everyValueIsDeliveredInOrderWithItsNode_goodValuesMarkNothing() {
        publish(good(1.0), good(2.0));

        assertThat(delivered).singleElement().satisfies(batch -> {
            assertThat(batch).extracting(RawSample::nodeId).containsExactly("ns=2;s=A", "ns=2;s=B");
            assertThat(batch).extracting(RawSample::value).containsExactly(1.0, 2.0);
        });
        assertThat(subscription.deadItems()).isZero();
        assertThat(reconcileRequests).hasValue(0);
    }

    @Test
    void eachValueCarriesWhereItsNodeStandsInTheListGiven_aNodeListedTwiceItsFirstPlace() {
        List<List<RawSample>> batches = new ArrayList<>();
        MonitoredSubscription listed = new MonitoredSubscription("test", List.of("ns=2;s=A", "ns=2;s=B", "ns=2;s=A", "ns=2;s=C"),
                batches::add, () -> { }, () -> { }, OpcUaSourceOptions.builder("opc.tcp://test:4840").build());

        listed.listener().onDataReceived(null, listed.monitoredItems(), List.of(good(1.0), good(2.0), good(3.0)));

        assertThat(batches).singleElement().isInstanceOfSatisfying(SampleColumns.class, columns -> {
            assertThat(columns).extracting(RawSample::nodeId).containsExactly("ns=2;s=A", "ns=2;s=B", "ns=2;s=C");
            assertThat(List.of(columns.slot(0), columns.slot(1), columns.slot(2))).containsExactly(0, 1, 3);
        });
    }

    @Test
    void aNodeGoneStatusMarksTheItemDead_aLaterGoodValueRevivesIt() {
        publish(status(StatusCodes.Bad_NodeIdUnknown), good(2.0));

        assertThat(subscription.deadNodeIds()).containsExactly("ns=2;s=A");
        assertThat(reconcileRequests).hasValue(1);

        publish(good(3.0), good(4.0));

        assertThat(subscription.deadItems()).isZero();
    }

    @Test
    void publishResponsesLostForGood_theOwnerIsTold_nothingElseChanges() {
        publish(good(1.0), good(2.0));

        subscription.listener().onNotificationDataLost(null);

        assertThat(lost).hasValue(1);
        assertThat(delivered).hasSize(1);
        assertThat(subscription.deadItems()).isZero();
    }

    @Test
    void aSubscriptionTheServerLost_isCreatedAgain_andTheTimeWithoutItIsLost() {
        subscription.listener().onTransferFailed(null, new StatusCode(StatusCodes.Bad_SubscriptionIdInvalid));
        subscription.listener().onStatusChanged(null, new StatusCode(StatusCodes.Bad_Timeout));

        assertThat(reconcileRequests).hasValue(2);
        assertThat(lost).as("the owner reads both gaps back").hasValue(2);
    }

    @Test
    void anotherBadStatusIsDeliveredButDoesNotMarkTheItemGone() {
        publish(status(StatusCodes.Bad_NoCommunication), good(2.0));

        assertThat(delivered.get(0).get(0).statusCode()).isEqualTo(StatusCodes.Bad_NoCommunication);
        assertThat(subscription.deadItems()).isZero();
        assertThat(reconcileRequests).hasValue(0);
    }

    @Test
    void aPublishResponseIsBoundedToTwoIntervalsOfValues_aSmallSubscriptionStillTakesABurst() {
        OpcUaSourceOptions.Builder options = OpcUaSourceOptions.builder("opc.tcp://test:4840");
        // one value per item per interval: the 10 Hz bench (publishing 100 ms, sampling 50 ms -> up to 2)
        assertThat(MonitoredSubscription.maxNotificationsPerPublish(10_000, options
                .publishingInterval(Duration.ofMillis(100)).samplingInterval(Duration.ofMillis(100)).build()))
                .isEqualTo(20_000);
        assertThat(MonitoredSubscription.maxNotificationsPerPublish(10_000, options
                .publishingInterval(Duration.ofMillis(100)).samplingInterval(Duration.ofMillis(50)).build()))
                .isEqualTo(40_000);
        // sampling ten times per publish: a caught-up publish has up to ten values per item
        assertThat(MonitoredSubscription.maxNotificationsPerPublish(1_000, options
                .publishingInterval(Duration.ofSeconds(1)).samplingInterval(Duration.ofMillis(100)).build()))
                .isEqualTo(20_000);
        // ... but never more than an item's queue keeps
        assertThat(MonitoredSubscription.maxNotificationsPerPublish(1_000, options
                .publishingInterval(Duration.ofSeconds(10)).samplingInterval(Duration.ofMillis(100)).queueSize(5).build()))
                .isEqualTo(10_000);
        assertThat(MonitoredSubscription.maxNotificationsPerPublish(1, options.build()))
                .isEqualTo(MonitoredSubscription.MIN_NOTIFICATIONS_PER_PUBLISH);
    }

    private void publish(DataValue a, DataValue b) {
        subscription.listener().onDataReceived(null, subscription.monitoredItems(), List.of(a, b));
    }

    private static DataValue good(double value) {
        return new DataValue(new Variant(value), StatusCode.GOOD, AT, AT);
    }

    private static DataValue status(long code) {
        return new DataValue(Variant.NULL_VALUE, new StatusCode(code), AT, AT);
    }
}
