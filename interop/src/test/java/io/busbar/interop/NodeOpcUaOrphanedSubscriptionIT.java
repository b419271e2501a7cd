package io.busbar.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.busbar.connectors.opcua.OpcUaSource;
import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.ServerRole;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A CreateSubscription that times out on the client may have created the subscription on the
 * server all the same; the client cannot learn its id, and its session's publish requests keep it
 * alive against the server's subscriptions-per-session quota. Busbar then closes the session and
 * opens a new one (connectors' {@code OrphanedSubscriptionTest} proves it on Milo's server): here
 * against node-opcua, whose CreateSubscription is made to answer after the client gave up.
 */
class NodeOpcUaOrphanedSubscriptionIT {

    private static final int METERS = 2;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(500);

    @Test
    void aServerThatAnswersEveryCreationTooLate_neverGathersOrphansInASession_andTheSourceRecoversWhenItAnswersInTime()
            throws Exception {
        NodeInstall.Installed node = NodeInstall.require();
        try (NodeMeterServer server = NodeMeterServer.start(node, ServerRole.PRIMARY, METERS, false);
             OpcUaSource source = new OpcUaSource(ServerRole.PRIMARY, NodeOpcUaPairFailoverIT.optionsBuilder(server)
                     .requestTimeout(REQUEST_TIMEOUT).itemRetryInterval(Duration.ofMillis(300)).build())) {
            source.start();
            // the ServiceLevel's subscription
            await().atMost(TIMEOUT).until(server::mostSubscriptionsInOneSession, equalTo(1));

            server.answerCreationsLate(REQUEST_TIMEOUT.multipliedBy(2));
            List<String> nodeIds = IntStream.rangeClosed(1, METERS)
                    .mapToObj(meter -> List.of(server.energyNodeId(meter), server.powerNodeId(meter)))
                    .flatMap(List::stream).toList();
            Queue<RawSample> samples = new ConcurrentLinkedQueue<>();
            source.subscribe(nodeIds, (role, batch) -> samples.addAll(batch));
            // every creation times out, on every new session: without the renewal the session gathers
            // one more subscription per try; with it a session holds at most the ServiceLevel's and
            // one it never learnt of
            await().during(Duration.ofSeconds(5)).atMost(TIMEOUT).until(() -> server.mostSubscriptionsInOneSession() <= 2);
            assertThat(samples).as("no subscription the client knows of delivers while creations time out").isEmpty();

            server.answerCreationsLate(Duration.ZERO);
            await().atMost(TIMEOUT).until(() -> samples.stream().map(RawSample::nodeId).distinct().count() == nodeIds.size());
            await().during(Duration.ofSeconds(2)).atMost(TIMEOUT).until(server::mostSubscriptionsInOneSession, equalTo(2));
        }
    }
}
