package io.busbar.bootstrap.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.bootstrap.BusbarApplication;
import io.busbar.bootstrap.config.ConfigFile;
import io.busbar.bootstrap.demo.DemoFiles;
import io.busbar.bootstrap.support.Series;
import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.wire.ReadingCodec;
import io.busbar.support.testing.Closing;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** OPC UA pair → Busbar → a real (embedded KRaft) Kafka broker, read back with a consumer. */
class KafkaTargetIT {

    private static final String TOPIC = "busbar.readings";

    private EmbeddedKafkaKraftBroker kafka;

    @TempDir
    Path dir;

    /** The broker, the server and Busbar, closed in the reverse order. */
    @RegisterExtension
    final Closing closing = new Closing();

    /** The simulated pair → Busbar → the embedded broker, with the kafka target's topic and extra keys. */
    private void startBusbar(String topic, String targetKeys, String... topics) throws Exception {
        kafka = new EmbeddedKafkaKraftBroker(1, 1, topics);
        closing.add(kafka::destroy);
        kafka.afterPropertiesSet();
        SimulatedScadaServer server = closing.add(SimulatedScadaServer.builder().port(0).meterCount(2).build());
        server.start();
        Path config = DemoFiles.write(dir, server.endpointUrl(), server.endpointUrl(), 2);
        Files.writeString(config, """
                sources:
                  demo:
                    primary:
                      endpoint: %s
                    publishing-interval: 500ms
                mappings:
                  demo: %s
                targets:
                  kafka:
                    type: kafka
                    brokers: %s
                    topic: "%s"
                %s
                routes:
                  - from: demo
                    to: [kafka]
                """.formatted(server.endpointUrl(), DemoFiles.MAPPING, kafka.getBrokersAsString(), topic, targetKeys));
        closing.add(BusbarApplication.start(ConfigFile.load(config), "--server.port=0"));
    }

    @Test
    void topicTemplate_eachQuantityOnItsOwnTopic_withTheTargetsProducerProperties() throws Exception {
        String energy = "busbar.demo.1-0_1.8.0";
        String power = "busbar.demo.1-0_1.7.0";
        startBusbar("busbar.{pair}.{quantity}", """
                    properties:
                      compression.type: gzip
                      linger.ms: 20
                """, energy, power);

        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            consumer.subscribe(List.of(energy, power));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.stream().map(ConsumerRecord::topic).distinct().count() == 2 && records.size() >= 8;
            });
        }
        assertThat(records).allSatisfy(record -> assertThat(record.topic()).isEqualTo(
                ReadingCodec.fromJson(new String(record.value(), StandardCharsets.UTF_8)).quantity().equals("1-0:1.8.0")
                        ? energy : power));
    }

    @Test
    void readingsArriveOncePerKey_keyedByMeter_inWireFormat() throws Exception {
        startBusbar(TOPIC, "", TOPIC);

        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            consumer.subscribe(List.of(TOPIC));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.stream().map(r -> ReadingCodec.fromJson(new String(r.value(), StandardCharsets.UTF_8))
                        .sourceTime().getEpochSecond()).distinct().count() >= 4;
            });
        }
        List<Reading> readings = records.stream()
                .map(r -> ReadingCodec.fromJson(new String(r.value(), StandardCharsets.UTF_8))).toList();
        assertThat(records).allSatisfy(record ->
                assertThat(record.key()).isEqualTo(ReadingCodec.fromJson(new String(record.value(), StandardCharsets.UTF_8)).meter()));
        assertThat(readings).extracting(Reading::unit).contains("kWh", "kW");
        // the values are passed through from the buffer: still byte for byte the wire form of their reading
        assertThat(records).allSatisfy(record -> {
            String value = new String(record.value(), StandardCharsets.UTF_8);
            assertThat(value).isEqualTo(ReadingCodec.toJson(ReadingCodec.fromJson(value)));
        });
        Series.assertEachSecondExactlyOnce(readings);
    }

    private KafkaConsumer<String, byte[]> consumer() {
        Properties props = new Properties();
        props.putAll(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, "busbar-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
