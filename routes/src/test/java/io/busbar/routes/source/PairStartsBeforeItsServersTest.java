package io.busbar.routes.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.busbar.connectors.opcua.OpcUaSecurityPolicy;
import io.busbar.connectors.opcua.OpcUaSourceOptions;
import io.busbar.connectors.opcua.TrustList;
import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import io.busbar.mappings.Mapping;
import io.busbar.mappings.MappingFile;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.ServerRole;
import io.busbar.redundancy.RedundancyPolicy;
import io.busbar.routes.plan.BackfillPolicy;
import io.busbar.routes.plan.ForwardingScope;
import io.busbar.routes.plan.ServerPlan;
import io.busbar.routes.plan.SourcePairPlan;
import io.busbar.support.testing.CapturedLogs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Busbar started before its SCADA server, with a mapping of browse templates: the pair's route
 * starts anyway, the pair waits (and says why) while nothing can be browsed, and forwards as soon as
 * the server is reachable, or its certificate trusted. Runs the pair's real Camel consumer.
 */
class PairStartsBeforeItsServersTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String PAIR = "plant";
    private static final Mapping TEMPLATES = MappingFile.parse(PAIR, """
            templates:
              - browse: "Objects/Meters/{meter}/Energy"
                id: "M-{meter}"
                registers:
                  - {browse: "Objects/Meters/{meter}/Energy", quantity: "1-0:1.8.0", unit: Wh}
            """, "plant.yaml");

    private final SimulatedScadaServer server = SimulatedScadaServer.builder().port(0).meterCount(2).build();
    private final SourcePairs pairs = new SourcePairs();
    private final Queue<Reading> delivered = new ConcurrentLinkedQueue<>();
    @RegisterExtension
    final CapturedLogs logs = CapturedLogs.all();
    private CamelContext camel;

    @TempDir
    Path pki;

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
        server.stop();
    }

    @Test
    void serverStartedAfterThePair_pairWaitsThenForwards() throws Exception {
        startPair();

        await().atMost(TIMEOUT).until(() -> pairs.waiting(PAIR).map(WaitingPair::attempts).orElse(0) >= 2);
        WaitingPair waiting = pairs.waiting(PAIR).orElseThrow();
        assertThat(waiting.reason()).startsWith("no server could be browsed to resolve the mapping's browse templates"
                + " (primary: cannot connect to " + server.endpointUrl() + ": ");
        assertThat(waiting.nextAttemptAt()).isAfterOrEqualTo(waiting.since());
        assertThat(pairs.get(PAIR)).isEmpty();
        assertThat(delivered).isEmpty();

        server.start();

        await().atMost(TIMEOUT).until(() -> delivered.stream().anyMatch(r -> r.meter().equals("M-Meter002")));
        assertThat(pairs.waiting(PAIR)).isEmpty();
        assertThat(pairs.get(PAIR)).isPresent();
        assertThat(logs.events(Level.WARN)).filteredOn(e -> e.getFormattedMessage().startsWith("Source pair plant: waiting"))
                .as("one warning for the wait, not one per attempt").hasSize(1);
        assertThat(logs.events(Level.ERROR)).isEmpty();
        assertThat(logs.events(null)).as("no stack trace for an expected refusal")
                .noneMatch(e -> e.getThrowableProxy() != null && e.getLoggerName().startsWith("io.busbar"));
    }

    @Test
    void untrustedServer_pairWaitsWithTheTrustCommand_thenForwardsOnceTrusted() throws Exception {
        try (SimulatedScadaServer secured = SimulatedScadaServer.builder().port(0).meterCount(1).secured(true).build()) {
            secured.start();
            String thumbprint = TrustList.thumbprint(secured.serverCertificate().orElseThrow());
            startPair(options(secured.endpointUrl()).securityPolicy(OpcUaSecurityPolicy.BASIC256SHA256)
                    .pkiDirectory(pki).build());

            await().atMost(TIMEOUT).until(() -> pairs.waiting(PAIR).map(WaitingPair::attempts).orElse(0) >= 2);
            assertThat(pairs.waiting(PAIR).orElseThrow().reason()).contains("Bad_CertificateUntrusted")
                    .contains("busbar pki trust " + thumbprint);

            TrustList trustList = TrustList.of(pki);
            trustList.trust(trustList.list().entries().stream().filter(e -> e.thumbprint().equals(thumbprint))
                    .findFirst().orElseThrow());

            await().atMost(TIMEOUT).until(() -> delivered.stream().anyMatch(r -> r.meter().equals("M-Meter001")));
            assertThat(pairs.waiting(PAIR)).isEmpty();
            assertThat(logs.events(Level.WARN)).filteredOn(e -> e.getFormattedMessage().contains("is not trusted: its certificate"))
                    .as("one line per server, however many attempts").hasSize(1);
            assertThat(logs.events(Level.ERROR)).isEmpty();
        }
    }

    @Test
    void pairStoppedWhileWaiting_neverStarts() throws Exception {
        startPair();
        await().atMost(TIMEOUT).until(() -> pairs.waiting(PAIR).isPresent());

        camel.stop();
        server.start();

        assertThat(pairs.waiting(PAIR)).isEmpty();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> pairs.get(PAIR).isEmpty());
        assertThat(delivered).isEmpty();
    }

    private static OpcUaSourceOptions.Builder options(String endpointUrl) {
        return OpcUaSourceOptions.builder(endpointUrl)
                .publishingInterval(Duration.ofMillis(200))
                .samplingInterval(Duration.ofMillis(100))
                .connectTimeout(Duration.ofSeconds(1))
                .retryDelay(Duration.ofMillis(200))
                .maxRetryDelay(Duration.ofMillis(500));
    }

    private void startPair() throws Exception {
        startPair(options(server.endpointUrl()).build());
    }

    private void startPair(OpcUaSourceOptions primary) throws Exception {
        SourcePairPlan plan = new SourcePairPlan(PAIR, new ServerPlan(ServerRole.PRIMARY, primary),
                Optional.empty(), RedundancyPolicy.defaults(), BackfillPolicy.defaults(), TEMPLATES, List.of("out"));
        camel = new DefaultCamelContext();
        camel.addComponent(BusbarSourceComponent.SCHEME,
                new BusbarSourceComponent(List.of(plan), new SimpleMeterRegistry(), pairs));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(BusbarSourceComponent.uri(PAIR, ForwardingScope.standalone(), Optional.empty())).process(exchange -> delivered.addAll(
                        exchange.getMessage().getBody(IngestBatch.class).readings()));
            }
        });
        camel.start(); // a pair whose mapping cannot be resolved yet must not fail the start
    }
}
