package io.busbar.connectors.opcua;

import static io.busbar.connectors.opcua.simulator.SimulatedScadaServer.energyNodeId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import io.busbar.mappings.model.ServerRole;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A new subscription's first values come after {@link MonitoredSubscription#FIRST_PUBLISHING_INTERVAL},
 * not after a whole configured publishing interval, and the server then publishes at the configured one.
 */
class FirstPublishTest {

    /** Long enough that a first value before it can only come from the quick first interval. */
    private static final Duration CONFIGURED = Duration.ofSeconds(6);
    private static final double CONFIGURED_MS = CONFIGURED.toMillis();

    private final SimulatedScadaServer server = SimulatedScadaServer.builder()
            .applicationName("first-publish").meterCount(1).build();
    private final TestSources sources = new TestSources();
    private final SampleCollector collector = new SampleCollector();

    @AfterEach
    void stop() {
        sources.stopAll();
        server.stop();
    }

    @Test
    void theFirstValuesComeBeforeTheConfiguredIntervalEnds_thenTheServerPublishesAtTheConfiguredInterval() {
        server.start();

        Duration toFirstValue = subscribe();

        assertThat(toFirstValue).isLessThan(CONFIGURED.dividedBy(2));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(server.publishingIntervals())
                .as("every subscription of the server, the ServiceLevel's included")
                .hasSize(2)
                .containsOnly(CONFIGURED_MS));
    }

    @Test
    void anIdleSubscriptionHearsFromTheServerBeforeItsLifetimeEnds_whenTheConfiguredIntervalComesLate() {
        // refused three times, the configured interval is asked for again at later reconciles, when the
        // server has restarted the idle subscription's keep-alive countdown at the quick interval
        server.refuseSubscriptionChanges(3);
        server.start();

        subscribe();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(server.publishingIntervals())
                .hasSize(2)
                .containsOnly(CONFIGURED_MS));
        // the ServiceLevel's subscription is idle (its value never changes): only keep-alives keep it
        assertThat(server.countdowns())
                .as("a server that does not restart its keep-alive countdown on ModifySubscription (Milo's)")
                .hasSize(2)
                .allMatch(SimulatedScadaServer.Countdowns::keepAliveComesFirst);
    }

    @Test
    void aServerThatRefusesToChangeTheIntervalGoesOnPublishing_andIsAskedAgainUntilItAgrees() {
        server.refuseSubscriptionChanges(3);
        server.start();

        subscribe();
        int received = collector.samples(energyNodeId(1)).size();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(server.publishingIntervals())
                .hasSize(2)
                .containsOnly(CONFIGURED_MS));
        // the next publish comes within the configured interval now
        await().atMost(CONFIGURED.plusSeconds(3)).until(() -> collector.samples(energyNodeId(1)).size() > received);
    }

    /** Subscribes to one meter's energy and returns how long its first value took. */
    private Duration subscribe() {
        OpcUaSource source = sources.start(ServerRole.PRIMARY,
                TestSources.fastOptions(server.endpointUrl()).publishingInterval(CONFIGURED).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> source.connectionState() == ConnectionState.CONNECTED);
        long subscribed = System.nanoTime();
        source.subscribe(List.of(energyNodeId(1)), collector);
        await().atMost(CONFIGURED).until(() -> !collector.samples(energyNodeId(1)).isEmpty());
        return Duration.ofNanos(System.nanoTime() - subscribed);
    }
}
