package io.busbar.bootstrap.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.connectors.opcua.OpcUaSourceOptions;
import io.busbar.mappings.MappingFile;
import io.busbar.mappings.model.ServerRole;
import io.busbar.redundancy.RedundancyPolicy;
import io.busbar.routes.plan.BackfillPolicy;
import io.busbar.routes.plan.ServerPlan;
import io.busbar.routes.plan.SourcePairPlan;
import io.busbar.routes.source.BusbarSourceComponent;
import io.busbar.routes.source.SourcePairs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/** A pair whose browse templates wait for a server: DOWN in health, saying what it waits for and why. */
class WaitingPairHealthTest {

    private final SourcePairs pairs = new SourcePairs();
    private CamelContext camel;

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void pairWaitingForAServerToBrowse_isDownWithTheReason() throws Exception {
        String endpoint = "opc.tcp://localhost:" + unusedPort() + "/busbar";
        startPair(endpoint);

        await().atMost(Duration.ofSeconds(15)).until(() -> pairs.waiting("plant").isPresent());
        Health health = new RedundancyHealthIndicator(pairs).health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        Map<String, Object> pair = pairDetails(health);
        assertThat(pair).containsEntry("status", "DOWN").containsEntry("active", "none");
        Map<String, Object> waiting = (Map<String, Object>) pair.get("waiting");
        assertThat(waiting).containsEntry("for", "a server to browse, to resolve the mapping's browse templates")
                .containsKeys("since", "attempts", "nextAttemptAt");
        assertThat((String) waiting.get("reason")).contains("primary: cannot connect to " + endpoint);
        // the endpoint shows what health shows; a retry between the two reads moves the attempt count
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(new RedundancyEndpoint(pairs).pair("plant"))
                .isEqualTo(pairDetails(new RedundancyHealthIndicator(pairs).health())));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> pairDetails(Health health) {
        return (Map<String, Object>) ((Map<String, Object>) health.getDetails().get("pairs")).get("plant");
    }

    private void startPair(String endpoint) throws Exception {
        SourcePairPlan plan = new SourcePairPlan("plant", new ServerPlan(ServerRole.PRIMARY,
                OpcUaSourceOptions.builder(endpoint).retryDelay(Duration.ofMillis(200))
                        .maxRetryDelay(Duration.ofMillis(500)).build()),
                Optional.empty(), RedundancyPolicy.defaults(), BackfillPolicy.defaults(), MappingFile.parse("plant", """
                        templates:
                          - browse: "Objects/Meters/{meter}/Energy"
                            id: "M-{meter}"
                            registers:
                              - {browse: "Objects/Meters/{meter}/Energy", quantity: "1-0:1.8.0", unit: Wh}
                        """, "plant.yaml"), List.of("out"));
        camel = new DefaultCamelContext();
        camel.addComponent(BusbarSourceComponent.SCHEME,
                new BusbarSourceComponent(List.of(plan), new SimpleMeterRegistry(), pairs));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(BusbarSourceComponent.SCHEME + ":plant").to("log:unused");
            }
        });
        camel.start();
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
