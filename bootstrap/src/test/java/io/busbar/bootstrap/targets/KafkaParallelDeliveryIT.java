package io.busbar.bootstrap.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.bootstrap.support.BufferedDelivery;
import io.busbar.connectors.target.Target;
import io.busbar.connectors.target.Targets;
import io.busbar.connectors.target.kafka.KafkaTargetSettings;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.wire.ReadingCodec;
import io.busbar.routes.BufferLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A Kafka target with {@code parallelism: 2} has two delivery units in flight, sharing one
 * producer (each unit's flush waits for the other's records too): every reading still reaches the
 * topic once, each meter's in source-time order. Real broker, journal and delivery route. (Not the
 * default: at 10,000 tags × 10 Hz it delivered less at more CPU per reading, bench/README.md.)
 */
class KafkaParallelDeliveryIT {

    private static final String TOPIC = "busbar.readings";
    private static final int METERS = 64;
    private static final int PUBLISHES = 30;
    private static final Instant T0 = Instant.parse("2026-12-05T00:00:00Z");

    @TempDir
    Path dir;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @Test
    void parallelismTwo_twoUnitsInFlight_everyReadingOnceInMeterOrder() throws Exception {
        EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, 3, TOPIC);
        kafka.afterPropertiesSet();
        resources.add(kafka::destroy);
        String bootstrap = kafka.getBrokersAsString();
        Target kafkaTarget = Targets.create(new KafkaTargetSettings("kafka", bootstrap, TOPIC));
        kafkaTarget.start();
        resources.add(kafkaTarget);
        OverlapCounting target = new OverlapCounting(kafkaTarget);
        BufferedDelivery busbar = BufferedDelivery.start(dir, List.of(target), 2);
        resources.add(busbar);
        // message groups stick to the consumers there when they first arrive: wait for both
        await().atMost(Duration.ofSeconds(30)).until(() -> busbar.buffer().broker().getActiveMQServer()
                .locateQueue(BufferLayout.targetQueue("kafka")).getConsumerCount() == 2);

        for (int s = 0; s < PUBLISHES; s++) {
            busbar.ingest(BufferedDelivery.batch(METERS, T0.plusSeconds(s), s));
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> busbar.counter("busbar.target.delivered", "kafka")
                >= METERS * PUBLISHES);
        List<Reading> stored = topic(bootstrap);
        assertThat(stored).hasSize(METERS * PUBLISHES);
        assertThat(stored.stream().map(Reading::key).distinct()).hasSize(METERS * PUBLISHES);
        Map<String, List<Instant>> perMeter = stored.stream().collect(Collectors.groupingBy(Reading::meter,
                Collectors.mapping(Reading::sourceTime, Collectors.toList())));
        assertThat(perMeter).hasSize(METERS);
        perMeter.forEach((meter, times) -> assertThat(times).as("order of " + meter).isSorted());
        assertThat(target.mostAtOnce()).as("units in flight at once").isLessThanOrEqualTo(2);
    }

    /** The topic's records in partition order (a meter's records all sit in one partition, by key). */
    private static List<Reading> topic(String bootstrap) {
        Properties props = new Properties();
        props.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "check-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
        List<Reading> readings = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(5)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(5));
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(record ->
                        readings.add(ReadingCodec.fromJson(new String(record.value(), StandardCharsets.UTF_8))));
            }
        }
        return readings;
    }

    /** The Kafka target as it is, counting how many deliveries run at once. */
    private static final class OverlapCounting implements Target {
        private final Target target;
        private final AtomicInteger inFlight = new AtomicInteger();
        private final AtomicInteger mostAtOnce = new AtomicInteger();

        OverlapCounting(Target target) {
            this.target = target;
        }

        @Override
        public String name() {
            return target.name();
        }

        @Override
        public void deliver(List<Reading> batch) throws Exception {
            mostAtOnce.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                target.deliver(batch);
            } finally {
                inFlight.decrementAndGet();
            }
        }

        int mostAtOnce() {
            return mostAtOnce.get();
        }
    }
}
