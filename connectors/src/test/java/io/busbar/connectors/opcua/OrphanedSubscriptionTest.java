package io.busbar.connectors.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.ServerRole;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A CreateSubscription that times out on the client may have created the subscription on the
 * server all the same. The client cannot learn its id, and its session keeps it alive with its
 * publish requests: it must not stay there, against the server's subscriptions-per-session quota.
 * Subscriptions are counted per session: one left in a session the client no longer uses (its
 * connection was lost and Milo opened a new session, or the server ran a late CreateSubscription
 * after the session's close) is kept alive by nobody and ends with its lifetime, out of the
 * client's reach; CI once saw a third subscription on the server outlive a 30 s wait on the total.
 */
class OrphanedSubscriptionTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int METERS = 4;

    private final TestSources sources = new TestSources();
    private final SimulatedScadaServer server = SimulatedScadaServer.builder()
            .applicationName("orphaned-subscription").meterCount(METERS).pushUpdates(true).build();

    @AfterEach
    void stopAll() {
        sources.stopAll();
        server.stop();
    }

    @Test
    void aSubscriptionCreatedAfterATimedOutRequest_isNotLeftOnTheServer_andTheOtherSubscriptionKeepsDelivering() {
        server.start();
        List<String> nodeIds = SimulatedScadaServer.nodeIds(METERS);
        List<String> criteria = nodeIds.subList(0, 2);
        List<String> meters = nodeIds.subList(2, nodeIds.size());
        OpcUaSource source = sources.start(ServerRole.PRIMARY, TestSources.fastOptions(server.endpointUrl())
                .requestTimeout(Duration.ofMillis(1000)).build());
        Queue<RawSample> criteriaSamples = new ConcurrentLinkedQueue<>();
        source.subscribe(criteria, (role, batch) -> criteriaSamples.addAll(batch));
        // the ServiceLevel's subscription and the criteria nodes' one
        await().atMost(TIMEOUT).until(server::monitoredItemCount, equalTo(1 + criteria.size()));
        await().atMost(TIMEOUT).until(() -> !criteriaSamples.isEmpty());

        // the server creates the subscription but answers after the client has given up
        server.createSubscriptionsSlowly(Duration.ofMillis(1500));
        Queue<RawSample> meterSamples = new ConcurrentLinkedQueue<>();
        source.subscribe(meters, (role, batch) -> meterSamples.addAll(batch));
        await().atMost(TIMEOUT).until(() -> server.subscriptionCount() >= 3);
        server.createSubscriptionsSlowly(Duration.ZERO);

        await().atMost(TIMEOUT).until(() -> meterSamples.stream().map(RawSample::nodeId).distinct().count() == meters.size());
        // long enough to cover the timed-out request and whatever follows it
        await().during(Duration.ofSeconds(3)).atMost(TIMEOUT).until(server::mostSubscriptionsInOneSession, equalTo(3));
        assertThat(server.monitoredItemCount()).isEqualTo(1 + nodeIds.size());
        criteriaSamples.clear();
        meterSamples.clear();
        await().atMost(TIMEOUT).until(() -> criteriaSamples.stream().map(RawSample::nodeId).distinct().count()
                == criteria.size() && meterSamples.stream().map(RawSample::nodeId).distinct().count() == meters.size());
        assertThat(source.serviceLevel()).isPresent();
        assertThat(source.connectionState()).isEqualTo(ConnectionState.CONNECTED);
    }

    @Test
    void aServerAnsweringEverythingTooLateWhileTheSubscriptionIsCreated_leavesNoOrphanOnceItAnswersAgain() {
        SimulatedScadaServer slow = SimulatedScadaServer.builder()
                .applicationName("orphaned-subscription-slow").meterCount(METERS).pushUpdates(true).hangable(true).build();
        try {
            slow.start();
            List<String> nodeIds = SimulatedScadaServer.nodeIds(METERS);
            List<String> criteria = nodeIds.subList(0, 2);
            List<String> meters = nodeIds.subList(2, nodeIds.size());
            OpcUaSource source = sources.start(ServerRole.PRIMARY, TestSources.fastOptions(slow.endpointUrl())
                    .requestTimeout(Duration.ofMillis(1000)).build());
            Queue<RawSample> criteriaSamples = new ConcurrentLinkedQueue<>();
            source.subscribe(criteria, (role, batch) -> criteriaSamples.addAll(batch));
            // values flow: the client has heard of both subscriptions it created
            await().atMost(TIMEOUT).until(() -> slow.subscriptionCount() == 2 && !criteriaSamples.isEmpty());

            // every answer, keep-alives included, comes after the client gave up: the session is lost
            // and may be reactivated as it is, with the subscription the client never heard of
            slow.answerSlowly(Duration.ofMillis(1500));
            Queue<RawSample> meterSamples = new ConcurrentLinkedQueue<>();
            source.subscribe(meters, (role, batch) -> meterSamples.addAll(batch));
            await().atMost(TIMEOUT).until(() -> slow.subscriptionCount() >= 3);
            await().atMost(TIMEOUT).until(() -> source.connectionState() != ConnectionState.CONNECTED);
            slow.answerSlowly(Duration.ZERO);

            await().atMost(TIMEOUT).until(() -> meterSamples.stream().map(RawSample::nodeId).distinct().count() == meters.size());
            await().during(Duration.ofSeconds(3)).atMost(TIMEOUT).until(slow::mostSubscriptionsInOneSession, equalTo(3));
            criteriaSamples.clear();
            await().atMost(TIMEOUT).until(() -> criteriaSamples.stream().map(RawSample::nodeId).distinct().count() == criteria.size());
        } finally {
            sources.stopAll();
            slow.stop();
        }
    }

    @Test
    void aServerThatAnswersEveryCreationTooLate_neverGathersOrphans_andTheSourceRecoversWhenItAnswersInTime() {
        server.start();
        List<String> nodeIds = SimulatedScadaServer.nodeIds(METERS);
        OpcUaSource source = sources.start(ServerRole.PRIMARY, TestSources.fastOptions(server.endpointUrl())
                .requestTimeout(Duration.ofMillis(500)).build());
        await().atMost(TIMEOUT).until(server::subscriptionCount, equalTo(1));

        server.createSubscriptionsSlowly(Duration.ofMillis(800));
        Queue<RawSample> samples = new ConcurrentLinkedQueue<>();
        source.subscribe(nodeIds, (role, batch) -> samples.addAll(batch));
        // every creation times out, on every new session: without the fix the session gathers one more
        // subscription per try; with it a session holds at most the ServiceLevel's and one it never learnt of
        await().during(Duration.ofSeconds(6)).atMost(TIMEOUT).until(() -> server.mostSubscriptionsInOneSession() <= 2);

        server.createSubscriptionsSlowly(Duration.ZERO);
        await().atMost(TIMEOUT).until(() -> samples.stream().map(RawSample::nodeId).distinct().count() == nodeIds.size());
        await().during(Duration.ofSeconds(2)).atMost(TIMEOUT).until(server::mostSubscriptionsInOneSession, equalTo(2));
        assertThat(server.monitoredItemCount()).isEqualTo(1 + nodeIds.size());
    }
}
