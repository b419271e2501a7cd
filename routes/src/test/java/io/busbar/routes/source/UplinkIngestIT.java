package io.busbar.routes.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.connectors.tls.TlsSettings;
import io.busbar.connectors.uplink.UplinkParser.TimeSource;
import io.busbar.mappings.MappingFile;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.wire.ReadingChunkCodec;
import io.busbar.routes.BufferCapacity;
import io.busbar.routes.BufferLayout;
import io.busbar.routes.uplink.SilentDevices;
import io.busbar.routes.uplink.UplinkSource;
import io.busbar.routes.uplink.UplinkSourceComponent;
import io.busbar.routes.uplink.UplinkSourcePlan;
import io.busbar.routes.uplink.UplinkSourceStatus;
import io.busbar.routes.uplink.UplinkSources;
import io.busbar.support.testing.LocalService;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * IoT uplinks from a real MQTT broker (Mosquitto on 127.0.0.1:1883, else an embedded Artemis MQTT
 * acceptor) through the uplink source and
 * the ingest route into the durable buffer: 500 devices (half ChirpStack v4, half The Things Stack
 * v3), each uplink of ChirpStack heard by two gateways, every first uplink published twice, the
 * later uplink of each device published before the earlier one, and bad payloads.
 */
class UplinkIngestIT {

    /** Mosquitto when it runs here, else (or with -Duplinks.embedded=1) an embedded Artemis MQTT acceptor. */
    private static String broker;
    private static org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ embeddedBroker;
    private static final int DEVICES = 500;
    private static final Instant T0 = Instant.parse("2026-12-04T00:00:00Z");
    private static final String SOURCE = "lora";

    @TempDir
    Path dir;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private TestBuffer buffer;
    private CachingConnectionFactory connections;
    private CamelContext camel;
    private final UplinkSources sources = new UplinkSources();
    private MqttClient publisher;
    /** How many devices the mapping holds (meter-1 .. meter-N). */
    private int mappedDevices = DEVICES;
    private Optional<Duration> expectedInterval = Optional.empty();

    @org.junit.jupiter.api.BeforeAll
    static void startBroker() throws Exception {
        boolean mosquittoRuns = LocalService.accepts(LocalService.HOST, 1883, Duration.ofSeconds(1));
        if (mosquittoRuns && System.getProperty("uplinks.embedded") == null) {
            broker = "tcp://127.0.0.1:1883";
            return;
        }
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        embeddedBroker = new org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ().setConfiguration(
                new org.apache.activemq.artemis.core.config.impl.ConfigurationImpl()
                        .setPersistenceEnabled(false)
                        .setSecurityEnabled(false)
                        .setJMXManagementEnabled(false)
                        .addAcceptorConfiguration("mqtt", "tcp://127.0.0.1:" + port + "?protocols=MQTT"));
        embeddedBroker.start();
        broker = "tcp://127.0.0.1:" + port;
    }

    @org.junit.jupiter.api.AfterAll
    static void stopBroker() throws Exception {
        if (embeddedBroker != null) {
            embeddedBroker.stop();
        }
    }

    @BeforeEach
    void start() throws Exception {
        buffer = new TestBuffer(dir).start();
        connections = TestBuffer.connections();
        publisher = new MqttClient(broker, "uplink-publisher-" + run, new MemoryPersistence());
        publisher.connect(new MqttConnectionOptions());
    }

    private void startBusbar() throws Exception {
        camel = new DefaultCamelContext();
        camel.addComponent("jms", JmsComponent.jmsComponent(connections));
        camel.getRegistry().bind(BufferTransaction.POLICY, BufferTransaction.policy(connections));
        camel.addComponent(UplinkSourceComponent.SCHEME, new UplinkSourceComponent(List.of(plan()), sources));
        camel.addRoutes(new IngestRoute(SOURCE, 0, UplinkSourceComponent.uri(SOURCE), BufferCapacity.UNLIMITED));
        camel.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> status().connected());
    }

    @AfterEach
    void stop() throws Exception {
        if (camel != null) {
            camel.close();
        }
        if (publisher != null) {
            publisher.disconnect();
            publisher.close();
        }
        if (connections != null) {
            connections.destroy();
        }
        if (buffer != null) {
            buffer.close();
        }
    }

    @Test
    void uplinksOf500Devices_twiceAndOutOfOrder_eachReadingOnceInTheBuffer_badOnesInTheDeadLetters() throws Exception {
        startBusbar();
        int published = 0;
        for (int d = 1; d <= DEVICES; d++) {
            Instant earlier = T0.plusSeconds(d);
            Instant later = earlier.plus(Duration.ofMinutes(15));
            publish(d, uplink(d, later, energyWh(d, later), powerW(d)));   // the meter's later reading first
            publish(d, uplink(d, earlier, energyWh(d, earlier), powerW(d)));
            publish(d, uplink(d, earlier, energyWh(d, earlier), powerW(d))); // the broker or NS repeats it
            published += 3;
        }
        Instant bad = T0.plus(Duration.ofHours(1));
        publish(1, uplink(1, bad, "\"NaN\"", powerW(1)));                          // energy not a number
        publish(2, uplink(2, bad, energyWh(2, bad), powerW(2)).replace("\"power_w\"", "\"pwr\"")); // power missing
        publishRaw(chirpStackTopic(3), "{this is not json");
        publish(4, uplink(4, bad, energyWh(4, bad), powerW(4)).replace(eui(4), "ffffffffffffffff")); // unknown device
        published += 4;
        int expectedReadings = DEVICES * 2 * 2 + 2;
        final int total = published;

        await().atMost(Duration.ofSeconds(30)).until(() -> status().uplinks() == total);
        List<Reading> buffered = bufferedReadings();
        Map<String, Integer> byKey = new HashMap<>();
        buffered.forEach(r -> byKey.merge(r.key(), 1, Integer::sum));
        assertThat(byKey.values()).as("each reading once").containsOnly(1);
        assertThat(buffered).hasSize(expectedReadings);
        for (int d = 1; d <= DEVICES; d++) {
            String meter = meter(d);
            for (Instant at : List.of(T0.plusSeconds(d), T0.plusSeconds(d).plus(Duration.ofMinutes(15)))) {
                assertThat(buffered).filteredOn(r -> r.meter().equals(meter) && r.sourceTime().equals(at))
                        .extracting(Reading::quantity, r -> r.value().stripTrailingZeros())
                        .containsExactlyInAnyOrder(
                                org.assertj.core.groups.Tuple.tuple("1-0:1.8.0",
                                        new BigDecimal(energyWh(d, at)).movePointLeft(3).stripTrailingZeros()),
                                org.assertj.core.groups.Tuple.tuple("1-0:1.7.0",
                                        new BigDecimal(powerW(d)).movePointLeft(3).stripTrailingZeros()));
            }
        }
        assertThat(buffered).filteredOn(r -> r.sourceTime().equals(bad)).extracting(Reading::meter, Reading::quantity)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(meter(1), "1-0:1.7.0"),
                        org.assertj.core.groups.Tuple.tuple(meter(2), "1-0:1.8.0"));

        List<String> reasons = deadLetterReasons(4);
        assertThat(reasons).anySatisfy(r -> assertThat(r).contains(meter(1) + " 1-0:1.8.0 at /energy_wh").contains("NaN"));
        assertThat(reasons).anySatisfy(r -> assertThat(r).contains(meter(2) + " 1-0:1.7.0: no value at /power_w"));
        assertThat(reasons).anySatisfy(r -> assertThat(r).startsWith("not JSON"));
        assertThat(reasons).anySatisfy(r -> assertThat(r).contains("device ffffffffffffffff").contains("not in the mapping"));

        UplinkSourceStatus status = status();
        assertThat(status.connected()).isTrue();
        assertThat(status.readings()).isEqualTo(expectedReadings);
        assertThat(status.duplicates()).isEqualTo(DEVICES * 2);
        assertThat(status.deadLetters()).isEqualTo(4);
        assertThat(status.lastUplink()).isPresent();
    }

    /**
     * With an expected interval, a mapped device that sends nothing for longer is listed as silent
     * (never heard since the start, or since its last uplink) until it reports again.
     */
    @Test
    void devicesSilentForLongerThanTheExpectedInterval_areListedUntilTheyReport() throws Exception {
        mappedDevices = 5;
        expectedInterval = Optional.of(Duration.ofSeconds(3));
        Instant beforeStart = Instant.now();
        startBusbar();
        Instant started = Instant.now();
        for (int d = 1; d <= 3; d++) {
            publish(d, uplink(d, T0, energyWh(d, T0), powerW(d)));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> status().uplinks() == 3);
        Instant heard = Instant.now();

        // device 3 keeps reporting; 1 and 2 stop after one uplink; 4 and 5 never report
        Instant[] at = {T0};
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            at[0] = at[0].plusSeconds(60);
            publish(3, uplink(3, at[0], energyWh(3, at[0]), powerW(3)));
            return status().silent().orElseThrow().count() == 4;
        });
        SilentDevices silent = status().silent().orElseThrow();
        assertThat(silent.expectedInterval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(silent.neverHeard()).isEqualTo(2);
        assertThat(silent.longest()).extracting(SilentDevices.Device::device, SilentDevices.Device::neverHeard)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(eui(1), false),
                        org.assertj.core.groups.Tuple.tuple(eui(2), false),
                        org.assertj.core.groups.Tuple.tuple(eui(4), true),
                        org.assertj.core.groups.Tuple.tuple(eui(5), true));
        assertThat(silent.longest().get(0).meters()).containsExactly(meter(1));
        assertThat(silent.longest().get(0).since()).isBetween(beforeStart, heard);
        assertThat(silent.longest().get(2).since()).as("never heard: since the start").isBetween(beforeStart, started);

        publish(1, uplink(1, T0.plusSeconds(1), energyWh(1, T0), powerW(1)));
        await().atMost(Duration.ofSeconds(20)).until(() -> status().silent().orElseThrow().longest().stream()
                .noneMatch(device -> device.device().equals(eui(1))));
    }

    /** The session outlives Busbar: uplinks published while it is down are queued by the broker. */
    @Test
    void uplinksPublishedWhileBusbarIsDown_areReadAfterItsRestart() throws Exception {
        startBusbar();
        publish(1, uplink(1, T0, energyWh(1, T0), powerW(1)));
        await().atMost(Duration.ofSeconds(20)).until(() -> status().uplinks() == 1);
        camel.close();

        for (int d = 2; d <= 21; d++) {
            publish(d, uplink(d, T0, energyWh(d, T0), powerW(d)));
        }
        startBusbar();

        await().atMost(Duration.ofSeconds(30)).until(() -> status().uplinks() == 20);
        assertThat(bufferedReadings()).extracting(Reading::meter).hasSize(42).containsAll(
                java.util.stream.IntStream.rangeClosed(1, 21).mapToObj(UplinkIngestIT::meter).toList());
    }

    private UplinkSourcePlan plan() {
        String mapping = """
                templates:
                  - for: {d: {from: 1, to: %d, format: "%%010d"}}
                    id: "meter-{d}"
                    registers:
                      - node: "uplink:a84041{d}/energy_wh"
                        quantity: "1-0:1.8.0"
                        unit: kWh
                        scale: 0.001
                      - node: "uplink:a84041{d}/power_w"
                        quantity: "1-0:1.7.0"
                        unit: kW
                        scale: 0.001
                """.formatted(mappedDevices);
        return new UplinkSourcePlan(SOURCE, broker, "busbar-it-" + run, Optional.empty(), Optional.empty(),
                TlsSettings.DEFAULT, List.of("application/" + run + "/device/+/event/up", "v3/" + run + "@it/devices/+/up"),
                UplinkSourcePlan.Format.CHIRPSTACK, TimeSource.DEVICE, "/time", Duration.ofMinutes(5), expectedInterval,
                MappingFile.parse(SOURCE, mapping, "uplinks.yaml"), List.of("out"));
    }

    private UplinkSourceStatus status() {
        return sources.all().stream().findFirst().map(UplinkSource::status)
                .orElse(new UplinkSourceStatus(false, Optional.empty(), 0, 0, 0, 0, 0, Optional.empty()));
    }

    private static String meter(int d) {
        return "meter-" + String.format("%010d", d);
    }

    private static String eui(int d) {
        return "a84041" + String.format("%010d", d);
    }

    private static String energyWh(int d, Instant at) {
        return Long.toString(1_000_000L * d + at.getEpochSecond() % 100_000);
    }

    private static String powerW(int d) {
        return Long.toString(100 + d);
    }

    /** Odd devices report through ChirpStack (two gateways), even ones through The Things Stack. */
    private String uplink(int d, Instant at, String energy, String power) {
        String decoded = "{\"energy_wh\":" + energy + ",\"power_w\":" + power + ",\"time\":\"" + at + "\"}";
        if (d % 2 == 1) {
            return """
                    {"deduplicationId":"%s","time":"%s","deviceInfo":{"deviceProfileName":"meter-v1",
                     "deviceName":"dev-%d","devEui":"%s"},"fCnt":%d,"fPort":2,"object":%s,
                     "rxInfo":[{"gatewayId":"gw1","nsTime":"%s"},{"gatewayId":"gw2","nsTime":"%s"}]}
                    """.formatted(UUID.randomUUID(), at.plusSeconds(5), d, eui(d).toUpperCase(), at.getEpochSecond() % 1000,
                    decoded, at.plusSeconds(5), at.plusSeconds(6));
        }
        return """
                {"end_device_ids":{"device_id":"dev-%d","application_ids":{"application_id":"meters"},"dev_eui":"%s"},
                 "uplink_message":{"f_port":1,"f_cnt":%d,"decoded_payload":%s,
                   "rx_metadata":[{"gateway_ids":{"gateway_id":"g1"},"time":"%s"}],"received_at":"%s"}}
                """.formatted(d, eui(d), at.getEpochSecond() % 1000, decoded, at.plusSeconds(5), at.plusSeconds(5));
    }

    private String chirpStackTopic(int d) {
        return "application/" + run + "/device/" + eui(d) + "/event/up";
    }

    private void publish(int d, String json) throws Exception {
        publishRaw(d % 2 == 1 ? chirpStackTopic(d) : "v3/" + run + "@it/devices/dev-" + d + "/up", json);
    }

    private void publishRaw(String topic, String payload) throws Exception {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        // Paho counts a publish in flight a moment after its PUBACK returned: wait for the window
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).ignoreExceptionsMatching(
                e -> e instanceof org.eclipse.paho.mqttv5.common.MqttException m
                        && m.getReasonCode() == org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_MAX_INFLIGHT)
                .until(() -> {
                    publisher.publish(topic, message);
                    return true;
                });
    }

    private List<Reading> bufferedReadings() throws Exception {
        List<Reading> readings = new ArrayList<>();
        try (Connection connection = connections.getTargetConnectionFactory().createConnection();
             Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
             MessageConsumer consumer = session.createConsumer(session.createQueue(TestBuffer.TARGET_QUEUE))) {
            connection.start();
            Message message;
            while ((message = consumer.receive(1_000)) != null) {
                BytesMessage bytes = (BytesMessage) message;
                byte[] body = new byte[(int) bytes.getBodyLength()];
                bytes.readBytes(body);
                readings.addAll(ReadingChunkCodec.decode(body));
            }
        }
        return readings;
    }

    private List<String> deadLetterReasons(int count) throws Exception {
        List<String> reasons = new ArrayList<>();
        try (Connection connection = connections.getTargetConnectionFactory().createConnection();
             Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
             MessageConsumer consumer = session.createConsumer(
                     session.createQueue(BufferLayout.sourceDeadLetterQueue(SOURCE)))) {
            connection.start();
            Message message;
            while ((message = consumer.receive(1_000)) != null) {
                reasons.add(message.getStringProperty(io.busbar.routes.delivery.DeadLetter.REASON));
            }
        }
        assertThat(reasons).hasSize(count);
        return reasons;
    }

}
