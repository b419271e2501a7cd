package io.busbar.bootstrap.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.connectors.file.FileTargetSettings;
import io.busbar.connectors.opcua.OpcUaSourceOptions;
import io.busbar.connectors.target.TargetSettings;
import io.busbar.mappings.Mapping;
import io.busbar.mappings.Quality;
import io.busbar.mappings.Reading;
import io.busbar.mappings.ReadingCodec;
import io.busbar.mappings.ReadingKey;
import io.busbar.mappings.ServerRole;
import io.busbar.redundancy.RedundancyPolicy;
import io.busbar.routes.BufferLayout;
import io.busbar.routes.delivery.DeliveryRoute;
import io.busbar.routes.plan.BackfillPolicy;
import io.busbar.routes.plan.BusbarPlan;
import io.busbar.routes.plan.RetryPolicy;
import io.busbar.routes.plan.ServerPlan;
import io.busbar.routes.plan.SourcePairPlan;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * Guaranteed delivery through the real embedded broker (journal on disk) and the real delivery
 * routes: transient failures, permanent refusals with dead letters and replay, isolation between
 * targets, and a broker restart.
 */
class DeliveryIT {

    private static final Instant T0 = Instant.parse("2026-11-22T00:00:00Z");

    @TempDir
    Path dir;

    private EmbeddedBuffer buffer;
    private CamelContext camel;
    private CachingConnectionFactory connections;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void stop() throws Exception {
        stopBusbar();
    }

    private void startBusbar(ScriptedTarget... targets) throws Exception {
        List<TargetSettings> settings = new ArrayList<>();
        for (ScriptedTarget target : targets) {
            settings.add(new FileTargetSettings(target.name(), dir.resolve(target.name())));
        }
        BusbarPlan plan = new BusbarPlan(List.of(pair(settings.stream().map(TargetSettings::name).toList())), settings);
        buffer = new EmbeddedBuffer(dir.resolve("buffer"), plan);
        buffer.start();
        connections = new CachingConnectionFactory(new ActiveMQConnectionFactory(EmbeddedBuffer.IN_VM_URL));
        camel = new DefaultCamelContext();
        camel.addComponent("jms", JmsComponent.jmsComponent(connections));
        int index = 0;
        for (ScriptedTarget target : targets) {
            camel.addRoutes(new DeliveryRoute(target, registry, index++, RetryPolicy.DEFAULT));
        }
        camel.start();
    }

    private void stopBusbar() throws Exception {
        if (camel != null) {
            camel.close();
            camel = null;
        }
        if (connections != null) {
            connections.destroy();
            connections = null;
        }
        if (buffer != null) {
            buffer.close();
            buffer = null;
        }
    }

    private static SourcePairPlan pair(List<String> targets) {
        return new SourcePairPlan("plant",
                new ServerPlan(ServerRole.PRIMARY, OpcUaSourceOptions.builder("opc.tcp://localhost:4840").build()),
                Optional.empty(), RedundancyPolicy.defaults(), BackfillPolicy.defaults(),
                new Mapping("plant", List.of()), targets);
    }

    /** Batches as the ingest route writes them: 4 meters, one reading per meter and second. */
    private void ingest(int seconds) {
        ProducerTemplate producer = camel.createProducerTemplate();
        for (int s = 0; s < seconds; s++) {
            List<Reading> batch = new ArrayList<>();
            for (int m = 1; m <= 4; m++) {
                batch.add(reading("M" + m, T0.plusSeconds(s), s));
            }
            producer.sendBodyAndHeaders("jms:topic:" + BufferLayout.READINGS_ADDRESS + "?deliveryPersistent=true",
                    ReadingCodec.toJsonBatch(batch), Map.of(BufferLayout.PAIR_PROPERTY, "plant",
                            BufferLayout.OLDEST_PROPERTY, T0.plusSeconds(s).toEpochMilli()));
        }
    }

    private static Reading reading(String meter, Instant at, long value) {
        return new Reading(ReadingKey.of("plant", meter, "1-0:1.8.0", at), "plant", ServerRole.PRIMARY, meter,
                "1-0:1.8.0", BigDecimal.valueOf(value), "kWh", BigDecimal.valueOf(value), at, at, Quality.GOOD, 0);
    }

    private static void assertOncePerKeyInMeterOrder(List<Reading> readings, int expected) {
        assertThat(readings).hasSize(expected);
        assertThat(readings.stream().map(Reading::key).collect(Collectors.toSet())).hasSize(expected);
        Map<String, List<Instant>> perMeter = readings.stream().collect(Collectors.groupingBy(Reading::meter,
                Collectors.mapping(Reading::sourceTime, Collectors.toList())));
        perMeter.forEach((meter, times) -> assertThat(times).as("order of " + meter).isSorted());
    }

    private double counter(String name, String target) {
        var counter = registry.find(name).tag("target", target).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void transientFailures_everyReadingDeliveredOnceInMeterOrder() throws Exception {
        ScriptedTarget target = new ScriptedTarget("flaky");
        target.failTransiently(3);
        startBusbar(target);

        ingest(10);

        await().atMost(Duration.ofSeconds(30)).until(() -> target.accepted().size() >= 40);
        assertOncePerKeyInMeterOrder(target.accepted(), 40);
        assertThat(counter("busbar.target.failed", "flaky")).isEqualTo(3);
        assertThat(counter("busbar.target.delivered", "flaky")).isEqualTo(40);
    }

    @Test
    void retryAfter_isHonouredInsteadOfTheBackOff() throws Exception {
        ScriptedTarget target = new ScriptedTarget("crm");
        target.retryAfterOnce(Duration.ofSeconds(3));
        startBusbar(target);

        ingest(1);

        await().during(Duration.ofMillis(2000)).atMost(Duration.ofMillis(2500)).until(() -> target.accepted().isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> target.accepted().size() == 4);
    }

    @Test
    void permanentRefusals_goToTheDeadLetterQueueWithReasons_andReplayDeliversThem() throws Exception {
        ScriptedTarget target = new ScriptedTarget("crm");
        target.refuse("M2");
        startBusbar(target);
        DeadLetters deadLetters = new DeadLetters(new ActiveMQConnectionFactory(EmbeddedBuffer.IN_VM_URL),
                buffer, Set.of("crm"));

        ingest(5);

        await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters.count("crm") == 5 && target.accepted().size() == 15);
        assertThat(target.accepted()).extracting(Reading::meter).doesNotContain("M2");
        List<Map<String, Object>> letters = deadLetters.browse("crm", 10);
        assertThat(letters).hasSize(5).allSatisfy(letter -> {
            assertThat((String) letter.get("key")).startsWith("plant/M2/");
            assertThat(letter.get("reason")).isEqualTo("HTTP 422: meter M2 unknown");
            assertThat(letter.get("attempts")).isEqualTo(1);
            assertThat(letter.get("firstFailure")).isNotNull();
        });

        target.acceptAll();
        assertThat(deadLetters.replay("crm")).isEqualTo(5);

        await().atMost(Duration.ofSeconds(20)).until(() -> target.accepted().size() == 20);
        assertThat(deadLetters.count("crm")).isZero();
        assertThat(target.accepted().stream().map(Reading::key).distinct().count()).isEqualTo(20);
    }

    @Test
    void oneTargetDown_doesNotDelayAnother() throws Exception {
        ScriptedTarget dead = new ScriptedTarget("dead");
        ScriptedTarget healthy = new ScriptedTarget("healthy");
        dead.down(true);
        startBusbar(dead, healthy);

        ingest(10);

        await().atMost(Duration.ofSeconds(10)).until(() -> healthy.accepted().size() == 40);
        assertThat(dead.accepted()).isEmpty();
        assertThat(buffer.messageCount(BufferLayout.targetQueue("dead"))).isEqualTo(10);

        dead.down(false);
        await().atMost(Duration.ofSeconds(40)).until(() -> dead.accepted().size() == 40);
        assertOncePerKeyInMeterOrder(dead.accepted(), 40);
    }

    @Test
    void brokerRestart_undeliveredReadingsSurviveInTheJournal() throws Exception {
        ScriptedTarget target = new ScriptedTarget("historian");
        target.down(true);
        startBusbar(target);
        ingest(6);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                buffer.messageCount(BufferLayout.targetQueue("historian")) == 6);

        stopBusbar();
        ScriptedTarget restarted = new ScriptedTarget("historian");
        startBusbar(restarted);

        await().atMost(Duration.ofSeconds(20)).until(() -> restarted.accepted().size() == 24);
        assertOncePerKeyInMeterOrder(restarted.accepted(), 24);
    }

    @Test
    void poisonMessage_isDeadLetteredAndTheStreamContinues() throws Exception {
        ScriptedTarget target = new ScriptedTarget("billing");
        startBusbar(target);
        DeadLetters deadLetters = new DeadLetters(new ActiveMQConnectionFactory(EmbeddedBuffer.IN_VM_URL),
                buffer, Set.of("billing"));

        camel.createProducerTemplate().sendBodyAndHeader("jms:topic:" + BufferLayout.READINGS_ADDRESS,
                "{not json".getBytes(), BufferLayout.PAIR_PROPERTY, "plant");
        ingest(2);

        await().atMost(Duration.ofSeconds(10)).until(() -> target.accepted().size() == 8 && deadLetters.count("billing") == 1);
        assertThat((String) deadLetters.browse("billing", 1).get(0).get("reason")).startsWith("poison message:");
    }
}
