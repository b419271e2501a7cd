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

    private final SimulatedScadaServer server = SimulatedScadaServer.builder()
            .applicationName("first-publish").meterCount(1).build();
    private final TestSources sources = new TestSources();

    @AfterEach
    void stop() {
        sources.stopAll();
        server.stop();
    }

    @Test
    void theFirstValuesComeBeforeTheConfiguredIntervalEndsAndThenTheServerPublishesAtTheConfiguredInterval() {
        server.start();
        OpcUaSource source = sources.start(ServerRole.PRIMARY,
                TestSources.fastOptions(server.endpointUrl()).publishingInterval(CONFIGURED).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> source.connectionState() == ConnectionState.CONNECTED);
        SampleCollector collector = new SampleCollector();

        long subscribed = System.nanoTime();
        source.subscribe(List.of(energyNodeId(1)), collector);
        await().atMost(CONFIGURED.dividedBy(2)).until(() -> !collector.samples(energyNodeId(1)).isEmpty());

        assertThat(Duration.ofNanos(System.nanoTime() - subscribed)).isLessThan(CONFIGURED.dividedBy(2));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(server.publishingIntervals())
                .as("every subscription of the server, the ServiceLevel's included")
                .hasSize(2)
                .containsOnly((double) CONFIGURED.toMillis()));
    }
}
