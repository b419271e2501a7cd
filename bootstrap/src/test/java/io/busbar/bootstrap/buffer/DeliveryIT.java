package io.busbar.bootstrap.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.bootstrap.support.BufferedDelivery;
import io.busbar.mappings.model.Reading;
import io.busbar.routes.BufferLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guaranteed delivery through the real embedded broker (journal on disk) and the real delivery
 * routes: transient failures, permanent refusals with dead letters and replay, isolation between
 * targets, and a broker restart.
 */
class DeliveryIT {

    private static final Instant T0 = Instant.parse("2026-11-22T00:00:00Z");

    @TempDir
    Path dir;

    /** A batch of M1..M4 is one buffer message per meter group among them. */
    private static final long MESSAGES_PER_BATCH = java.util.stream.Stream.of("M1", "M2", "M3", "M4")
            .map(BufferLayout::meterGroupOf).distinct().count();

    private BufferedDelivery busbar;
    private EmbeddedBuffer buffer;
    private CamelContext camel;

    @AfterEach
    void stop() throws Exception {
        stopBusbar();
    }

    private void startBusbar(ScriptedTarget... targets) throws Exception {
        busbar = BufferedDelivery.start(dir, List.of(targets));
        buffer = busbar.buffer();
        camel = busbar.camel();
    }

    private void stopBusbar() throws Exception {
        if (busbar != null) {
            busbar.close();
            busbar = null;
        }
    }

    /** Batches as the ingest route writes them: 4 meters, one reading per meter and second. */
    private void ingest(int seconds) {
        for (int s = 0; s < seconds; s++) {
            busbar.ingest(BufferedDelivery.batch(4, T0.plusSeconds(s), s));
        }
    }

    private static void assertOncePerKeyInMeterOrder(List<Reading> readings, int expected) {
        assertThat(readings).hasSize(expected);
        assertThat(readings.stream().map(Reading::key).collect(Collectors.toSet())).hasSize(expected);
        Map<String, List<Instant>> perMeter = readings.stream().collect(Collectors.groupingBy(Reading::meter,
                Collectors.mapping(Reading::sourceTime, Collectors.toList())));
        perMeter.forEach((meter, times) -> assertThat(times).as("order of " + meter).isSorted());
    }

    private double counter(String name, String target) {
        return busbar.counter(name, target);
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
        assertThat(buffer.messageCount(BufferLayout.targetQueue("dead"))).isEqualTo(10 * MESSAGES_PER_BATCH);

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
                buffer.messageCount(BufferLayout.targetQueue("historian")) == 6 * MESSAGES_PER_BATCH);

        stopBusbar();
        ScriptedTarget restarted = new ScriptedTarget("historian");
        startBusbar(restarted);

        await().atMost(Duration.ofSeconds(20)).until(() -> restarted.accepted().size() == 24);
        assertOncePerKeyInMeterOrder(restarted.accepted(), 24);
    }

    /**
     * A journal written before the binary chunk format (JSON batches, codec property 2) drains after
     * the upgrade, in meter order, next to the binary chunks written since, each reading once.
     */
    @Test
    void journalOfThePreviousJsonFormat_stillDrainsAfterTheUpgrade() throws Exception {
        ScriptedTarget target = new ScriptedTarget("historian");
        target.down(true);
        startBusbar(target);
        for (int s = 0; s < 3; s++) {
            writeAsThePreviousVersionDid(BufferedDelivery.batch(4, T0.plusSeconds(s), s));
        }
        for (int s = 3; s < 6; s++) {
            busbar.ingest(BufferedDelivery.batch(4, T0.plusSeconds(s), s));
        }
        await().atMost(Duration.ofSeconds(10)).until(() ->
                buffer.messageCount(BufferLayout.targetQueue("historian")) == 3 * 4 + 3 * MESSAGES_PER_BATCH);

        stopBusbar(); // the journal as the upgrade finds it
        ScriptedTarget restarted = new ScriptedTarget("historian");
        startBusbar(restarted);

        await().atMost(Duration.ofSeconds(20)).until(() -> restarted.accepted().size() == 24);
        assertOncePerKeyInMeterOrder(restarted.accepted(), 24);
        assertThat(restarted.accepted()).containsAll(BufferedDelivery.batch(4, T0, 0));
    }

    /** What ChunkedBatchWriter wrote up to the JSON format's last version: one JSON array per meter. */
    private void writeAsThePreviousVersionDid(List<Reading> batch) throws Exception {
        try (jakarta.jms.Connection connection = new ActiveMQConnectionFactory(EmbeddedBuffer.IN_VM_URL).createConnection();
             jakarta.jms.Session session = connection.createSession(true, jakarta.jms.Session.SESSION_TRANSACTED)) {
            jakarta.jms.MessageProducer producer = session.createProducer(session.createTopic(BufferLayout.READINGS_ADDRESS));
            for (Reading reading : batch) {
                jakarta.jms.BytesMessage message = session.createBytesMessage();
                message.writeBytes(io.busbar.mappings.wire.ReadingCodec.toJsonBatch(List.of(reading)));
                message.setStringProperty(BufferLayout.PAIR_PROPERTY, BufferedDelivery.PAIR);
                message.setIntProperty(BufferLayout.COUNT_PROPERTY, 1);
                message.setIntProperty(BufferLayout.CODEC_PROPERTY, 2);
                message.setLongProperty(BufferLayout.OLDEST_PROPERTY, reading.sourceTime().toEpochMilli());
                message.setStringProperty("JMSXGroupID",
                        BufferLayout.meterGroup(BufferedDelivery.PAIR, BufferLayout.meterGroupOf(reading.meter())));
                producer.send(message, jakarta.jms.DeliveryMode.PERSISTENT, 4, 0);
            }
            session.commit();
        }
    }

    /** What waits in the buffer is delivered in few large units, not one target call per buffer message. */
    @Test
    void messagesWaitingInTheBuffer_areDeliveredTogether_poisonAmongThemDeadLetteredAlone() throws Exception {
        ScriptedTarget target = new ScriptedTarget("historian");
        target.down(true);
        startBusbar(target);
        ingest(3);
        camel.createProducerTemplate().sendBodyAndHeader("jms:topic:" + BufferLayout.READINGS_ADDRESS,
                "{not json".getBytes(), BufferLayout.PAIR_PROPERTY, "plant");
        for (int s = 3; s < 6; s++) {
            busbar.ingest(BufferedDelivery.batch(4, T0.plusSeconds(s), s));
        }
        long waiting = 6 * MESSAGES_PER_BATCH + 1;
        await().atMost(Duration.ofSeconds(10)).until(() ->
                buffer.messageCount(BufferLayout.targetQueue("historian")) == waiting);
        stopBusbar();

        ScriptedTarget restarted = new ScriptedTarget("historian");
        startBusbar(restarted);
        DeadLetters deadLetters = new DeadLetters(new ActiveMQConnectionFactory(EmbeddedBuffer.IN_VM_URL),
                buffer, Set.of("historian"));

        await().atMost(Duration.ofSeconds(20)).until(() -> restarted.accepted().size() == 24
                && deadLetters.count("historian") == 1);
        assertOncePerKeyInMeterOrder(restarted.accepted(), 24);
        assertThat(restarted.deliveries()).as("delivery units for %d waiting messages", waiting)
                .isLessThan((int) waiting - 1);
        assertThat((String) deadLetters.browse("historian", 1).get(0).get("reason")).startsWith("poison message:");
        assertThat(counter("busbar.target.dead.lettered", "historian")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                buffer.messageCount(BufferLayout.targetQueue("historian")) == 0);
    }

    /**
     * A target whose batch is its identity (HTTP, whole batch under one Idempotency-Key) gets each
     * buffer message alone, on the first try and on every retry, so a resent batch has the same key.
     */
    @Test
    void targetWhoseBatchIsItsIdentity_getsEachBufferMessageAlone_evenWhenManyWait() throws Exception {
        ScriptedTarget target = new ScriptedTarget("crm", true);
        target.down(true);
        startBusbar(target);
        ingest(6);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                buffer.messageCount(BufferLayout.targetQueue("crm")) == 6 * MESSAGES_PER_BATCH);
        target.down(false);

        await().atMost(Duration.ofSeconds(20)).until(() -> target.accepted().size() == 24);
        assertOncePerKeyInMeterOrder(target.accepted(), 24);
        // one second's 4 readings at most (a message holds part of one ingest batch); several waiting
        // messages taken together would be 8 or more
        assertThat(target.batchSizes()).as("batch sizes, failed attempts included").isNotEmpty().allSatisfy(size ->
                assertThat(size).isLessThanOrEqualTo(4));
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

    @Test
    void parallelism_deliversSeveralMeterGroupsAtOnce_eachMeterInOrder() throws Exception {
        SlowTarget target = new SlowTarget("crm");
        busbar = BufferedDelivery.start(dir, List.of(target), 4);
        buffer = busbar.buffer();
        camel = busbar.camel();
        // message groups stick to the consumer that is there when they arrive: on a loaded machine
        // a single early consumer would take every group and nothing could overlap
        await().atMost(Duration.ofSeconds(30)).until(() -> buffer.broker().getActiveMQServer()
                .locateQueue(BufferLayout.targetQueue("crm")).getConsumerCount() == 4);

        for (int s = 0; s < 10; s++) {
            busbar.ingest(BufferedDelivery.batch(32, T0.plusSeconds(s), s));
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> target.accepted().size() >= 320);
        assertOncePerKeyInMeterOrder(target.accepted(), 320);
        assertThat(target.mostAtOnce()).as("deliveries in flight at once").isGreaterThan(1).isLessThanOrEqualTo(4);
    }

    /** A target that takes its time, as a remote HTTP service does, and counts overlapping deliveries. */
    private static final class SlowTarget implements io.busbar.connectors.target.Target {

        private final String name;
        private final List<Reading> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
        private final java.util.concurrent.atomic.AtomicInteger mostAtOnce = new java.util.concurrent.atomic.AtomicInteger();

        SlowTarget(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void deliver(List<Reading> batch) throws InterruptedException {
            mostAtOnce.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                java.util.concurrent.TimeUnit.MILLISECONDS.sleep(50); // the remote side's response time
                accepted.addAll(batch);
            } finally {
                inFlight.decrementAndGet();
            }
        }

        List<Reading> accepted() {
            return accepted;
        }

        int mostAtOnce() {
            return mostAtOnce.get();
        }
    }
}
