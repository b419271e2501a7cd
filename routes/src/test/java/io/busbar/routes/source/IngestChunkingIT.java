package io.busbar.routes.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.mappings.model.Quality;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.ReadingKey;
import io.busbar.mappings.model.ServerRole;
import io.busbar.mappings.wire.ReadingChunkCodec;
import io.busbar.routes.BufferCapacity;
import io.busbar.routes.BufferLayout;
import io.busbar.routes.delivery.DeadLetter;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * The ingest route against a real embedded broker: a batch becomes messages of at most
 * {@link ChunkedBatchWriter#MAX_CHUNK_READINGS} readings, all durable when the route returns, and
 * none of them when the broker fails part-way (so the forward gate does not move and the batch is
 * backfilled), nor any of its dead letters.
 */
class IngestChunkingIT {

    private static final Instant T0 = Instant.parse("2026-11-22T00:00:00Z");
    private static final String INGEST = "direct:ingest";

    @TempDir
    Path dir;

    private TestBuffer buffer;
    private CachingConnectionFactory connections;
    private CamelContext camel;

    /** What the route asks before a batch; the buffer.max-disk check in production. */
    private volatile boolean room = true;

    @BeforeEach
    void start() throws Exception {
        buffer = new TestBuffer(dir).start();
        connections = TestBuffer.connections();
        camel = new DefaultCamelContext();
        camel.addComponent("jms", JmsComponent.jmsComponent(connections));
        camel.getRegistry().bind(BufferTransaction.POLICY, BufferTransaction.policy(connections));
        camel.addRoutes(new IngestRoute("plant", 0, INGEST, () -> room));
        camel.start();
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
        connections.destroy();
        buffer.close();
    }

    @Test
    void batchOf4321Readings_isThreeMessagesOf2000_2000_321_allDurableWhenIngestReturns() throws Exception {
        List<Reading> batch = readings(4_321, "");

        assertThat(ingest(batch).getException()).isNull();
        // durable = in the journal: a broker restart right after the route returned still has them
        connections.resetConnection();
        buffer.stop();
        buffer.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> buffer.targetQueue().getMessageCount() == 3);
        assertNoLargeMessages();
        List<BytesMessage> messages = consume(3);
        assertThat(messages).extracting(m -> m.getIntProperty(BufferLayout.COUNT_PROPERTY)).containsExactly(2_000, 2_000, 321);
        assertThat(messages).extracting(m -> m.getStringProperty(BufferLayout.PAIR_PROPERTY)).containsOnly("plant");
        assertThat(messages).extracting(m -> m.getIntProperty(BufferLayout.CHUNK_FORMAT_PROPERTY))
                .containsOnly(ReadingChunkCodec.VERSION);
        assertThat(messages).extracting(m -> m.getLongProperty(BufferLayout.OLDEST_PROPERTY)).containsExactly(
                batch.get(0).sourceTime().toEpochMilli(), batch.get(2_000).sourceTime().toEpochMilli(),
                batch.get(4_000).sourceTime().toEpochMilli());
        List<Reading> back = new ArrayList<>();
        for (BytesMessage message : messages) {
            back.addAll(ReadingChunkCodec.decode(body(message)));
        }
        assertThat(back).isEqualTo(batch);
    }

    @Test
    void brokerFailsAtTheSecondChunk_ingestFails_andNoneOfTheBatchIsBuffered() throws Exception {
        buffer.failNthSend(2);

        Exchange exchange = ingest(readings(4_321, ""));

        assertThat(exchange.getException()).isNotNull()
                .satisfies(e -> assertThat(causes(e)).anyMatch(JMSException.class::isInstance));
        assertThat(buffer.targetQueue().getMessageCount()).isZero();
        assertThat(consume(0)).isEmpty();
    }

    /** The source retries (backfill) through the same cached sessions: they must still work. */
    @Test
    void afterAFailedBatch_theNextBatchIsBufferedWhole() throws Exception {
        buffer.failNthSend(2);
        assertThat(ingest(readings(4_321, "")).getException()).isNotNull();

        assertThat(ingest(readings(2_100, "")).getException()).isNull();

        await().atMost(Duration.ofSeconds(10)).until(() -> buffer.targetQueue().getMessageCount() == 2);
        assertThat(consume(2)).extracting(m -> m.getIntProperty(BufferLayout.COUNT_PROPERTY)).containsExactly(2_000, 100);
    }

    /**
     * Regression (issue 17): a batch's dead letters were sent on their own, each committed at once,
     * before its readings' transaction; a batch whose commit failed and that the source sent again
     * left its dead letters in the queue twice. Now they commit, or roll back, with the readings.
     */
    @Test
    void batchWhoseCommitFailsOnce_isSentAgain_eachDeadLetterAndEachReadingIsBufferedOnce() throws Exception {
        List<IngestBatch.SourceDeadLetter> letters = List.of(deadLetter("unmappable 1"), deadLetter("unmappable 2"));
        IngestBatch batch = new IngestBatch(readings(2_100, ""), letters);
        buffer.failNthSend(letters.size() + 1); // the first chunk of readings, after both dead letters

        assertThat(ingest(batch).getException()).isNotNull()
                .satisfies(e -> assertThat(causes(e)).anyMatch(JMSException.class::isInstance));
        assertThat(deadLetterReasons()).as("rolled back with the readings").isEmpty();
        assertThat(buffer.targetQueue().getMessageCount()).isZero();

        assertThat(ingest(batch).getException()).as("the source sends the batch again").isNull();

        await().atMost(Duration.ofSeconds(10)).until(() -> buffer.targetQueue().getMessageCount() == 2);
        assertThat(deadLetterReasons()).containsExactly("unmappable 1", "unmappable 2");
        assertThat(consume(2)).extracting(m -> m.getIntProperty(BufferLayout.COUNT_PROPERTY)).containsExactly(2_000, 100);
    }

    /**
     * The source tells a full buffer (debug, backfill later) from a failure (error) by the exception's
     * type: the transaction must hand it over as it was thrown, not wrapped.
     */
    @Test
    void bufferFull_ingestFailsWithTheBufferFullExceptionItself_andNothingIsSent() throws Exception {
        room = false;

        Exchange exchange = ingest(new IngestBatch(readings(10, ""), List.of(deadLetter("unmappable"))));

        assertThat(HandOffConsumer.failure(exchange)).isInstanceOf(BufferCapacity.BufferFullException.class);
        assertThat(deadLetterReasons()).isEmpty();
        assertThat(buffer.targetQueue().getMessageCount()).isZero();
    }

    /** Readings with long, distinct meter attributes would make 2,000 of them too big for one small message. */
    @Test
    void longReadings_areSplitFurther_soNoMessageExceedsTheLimit() throws Exception {
        List<Reading> batch = readings(2_000, "x".repeat(2_000));

        assertThat(ingest(batch).getException()).isNull();

        await().atMost(Duration.ofSeconds(10)).until(() -> buffer.targetQueue().getMessageCount() > 1);
        assertNoLargeMessages();
        List<BytesMessage> messages = consume((int) buffer.targetQueue().getMessageCount());
        List<Reading> back = new ArrayList<>();
        for (BytesMessage message : messages) {
            assertThat(message.getBodyLength()).isLessThanOrEqualTo(BufferLayout.MAX_MESSAGE_BYTES);
            back.addAll(ReadingChunkCodec.decode(body(message)));
        }
        assertThat(back).isEqualTo(batch);
    }

    @Test
    void readingsOfManyMeters_areChunkedByMeterGroup_eachMeterInOneGroupAndInOrder() throws Exception {
        List<Reading> batch = readings(1_200, "", i -> "Meter" + (i % 40)); // 40 meters, 30 readings each

        assertThat(ingest(batch).getException()).isNull();

        await().atMost(Duration.ofSeconds(10)).until(() -> buffer.targetQueue().getMessageCount() > 1);
        List<BytesMessage> messages = consume((int) buffer.targetQueue().getMessageCount());
        java.util.Map<String, String> groupOfMeter = new java.util.HashMap<>();
        List<Reading> back = new ArrayList<>();
        for (BytesMessage message : messages) {
            String group = message.getStringProperty("JMSXGroupID");
            List<Reading> chunk = ReadingChunkCodec.decode(body(message));
            assertThat(chunk).extracting(r -> BufferLayout.meterGroup("plant", BufferLayout.meterGroupOf(r.meter())))
                    .as("one meter group per message").containsOnly(group);
            chunk.forEach(r -> assertThat(groupOfMeter.merge(r.meter(), group, (a, b) -> a)).isEqualTo(group));
            back.addAll(chunk);
        }
        assertThat(back).containsExactlyInAnyOrderElementsOf(batch);
        for (int meter = 0; meter < 40; meter++) {
            String id = "Meter" + meter;
            assertThat(back.stream().filter(r -> r.meter().equals(id)).toList()).as("order of " + id)
                    .isEqualTo(batch.stream().filter(r -> r.meter().equals(id)).toList());
        }
    }

    /** What the source pair does with a batch (SourcePairConsumer.handOff): one synchronous exchange. */
    private Exchange ingest(List<Reading> readings) {
        return ingest(new IngestBatch(readings, List.of()));
    }

    private Exchange ingest(IngestBatch batch) {
        ProducerTemplate producer = camel.createProducerTemplate();
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(batch);
        return producer.send(INGEST, exchange);
    }

    private static IngestBatch.SourceDeadLetter deadLetter(String reason) {
        return new IngestBatch.SourceDeadLetter(("{\"sample\":\"" + reason + "\"}").getBytes(StandardCharsets.UTF_8),
                reason, false);
    }

    /** Receives every message of the pair's source dead-letter queue: their reasons, in order. */
    private List<String> deadLetterReasons() throws JMSException {
        List<String> reasons = new ArrayList<>();
        try (Connection connection = TestBuffer.connections().getTargetConnectionFactory().createConnection();
             Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
             MessageConsumer consumer = session.createConsumer(
                     session.createQueue(BufferLayout.sourceDeadLetterQueue("plant")))) {
            connection.start();
            jakarta.jms.Message message;
            while ((message = consumer.receive(1_000)) != null) {
                reasons.add(message.getStringProperty(DeadLetter.REASON));
            }
        }
        return reasons;
    }

    /**
     * Two source times per publish, as OPC UA delivers them; each chunk starts at a later one. One
     * meter (with many registers), so every reading is in the same meter group.
     */
    private static List<Reading> readings(int count, String address) {
        return readings(count, address, i -> "Meter1");
    }

    private static List<Reading> readings(int count, String address, java.util.function.IntFunction<String> meterOf) {
        List<Reading> readings = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant at = T0.plusSeconds(i / 500).plusMillis(i % 2 == 0 ? 0 : 100);
            String meter = meterOf.apply(i);
            String quantity = "1-0:1.8." + i;
            readings.add(new Reading(ReadingKey.of("plant", meter, quantity, at), "plant", ServerRole.PRIMARY, meter,
                    quantity, new BigDecimal(i + ".000"), "kWh", new BigDecimal(i * 1000), at, at.plusMillis(5),
                    Quality.GOOD, 0, io.busbar.mappings.model.ValidationStatus.RAW, List.of(), null, null,
                    address.isEmpty() ? null : address + i, List.of(), null, null, null));
        }
        return readings;
    }

    /** Receives exactly {@code count} messages (the queue count is known), then checks there is no more. */
    private List<BytesMessage> consume(int count) throws JMSException {
        List<BytesMessage> messages = new ArrayList<>();
        try (Connection connection = TestBuffer.connections().getTargetConnectionFactory().createConnection();
             Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
             MessageConsumer consumer = session.createConsumer(
                     session.createQueue(BufferLayout.READINGS_ADDRESS + "::" + TestBuffer.TARGET_QUEUE))) {
            connection.start();
            for (int i = 0; i < count; i++) {
                BytesMessage message = (BytesMessage) consumer.receive(10_000);
                assertThat(message).as("message %d of %d", i + 1, count).isNotNull();
                messages.add(message);
            }
            assertThat(consumer.receiveNoWait()).as("no further message").isNull();
        }
        return messages;
    }

    private static byte[] body(BytesMessage message) throws JMSException {
        byte[] body = new byte[(int) message.getBodyLength()];
        message.readBytes(body);
        return body;
    }

    /** Large messages are what made the old single-message batches slow; call before consuming. */
    private void assertNoLargeMessages() {
        var refs = buffer.targetQueue().browserIterator();
        try {
            int seen = 0;
            while (refs.hasNext()) {
                assertThat(refs.next().getMessage().isLargeMessage()).as("a large message").isFalse();
                seen++;
            }
            assertThat(seen).isPositive();
        } finally {
            refs.close();
        }
    }

    private static List<Throwable> causes(Throwable e) {
        List<Throwable> causes = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            causes.add(t);
        }
        return causes;
    }
}
