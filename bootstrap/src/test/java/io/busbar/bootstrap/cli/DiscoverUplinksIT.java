package io.busbar.bootstrap.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.bootstrap.BusbarCli;
import io.busbar.bootstrap.config.ConfigFile;
import io.busbar.bootstrap.support.TestMqttBroker;
import io.busbar.routes.uplink.UplinkSourcePlan;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code busbar discover uplinks} against a real broker (Mosquitto, else an embedded Artemis MQTT
 * acceptor): ChirpStack and The Things Stack uplinks published while it listens become a mapping
 * skeleton and a configuration that validate.
 */
class DiscoverUplinksIT {

    private static TestMqttBroker broker;

    @TempDir
    Path dir;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void startBroker() throws Exception {
        broker = TestMqttBroker.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    private int busbar(String... args) {
        return BusbarCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void devicesHeardWhileListening_becomeAMappingSkeletonAndAConfigThatValidate() throws Exception {
        String chirpStackTopic = "application/" + run + "/device/+/event/up";
        String ttsTopic = "v3/" + run + "@it/devices/+/up";
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> discover = thread.submit(() -> busbar("discover", "uplinks", "--url", broker.url(),
                    "--topic", chirpStackTopic, "--topic", ttsTopic, "--listen", "5s", "--out", dir.toString()));
            await().atMost(Duration.ofSeconds(30)).until(() -> err.toString().contains(DiscoverUplinksCommand.LISTENING));

            MqttClient publisher = new MqttClient(broker.url(), "discover-publisher-" + run, new MemoryPersistence());
            publisher.connect(new MqttConnectionOptions());
            String water = """
                    {"deviceInfo":{"deviceProfileName":"water-v1","deviceName":"flat-7","devEui":"0004A30B001C0530"},
                     "fCnt":%d,"object":{"volume":%d,"readAt":"2026-12-04T02:00:00Z","battery":{"mV":3600},"status":"ok"},
                     "rxInfo":[{"gatewayId":"gw1","nsTime":"2026-12-04T02:00:05Z"}]}
                    """;
            publish(publisher, "application/" + run + "/device/0004a30b001c0530/event/up", water.formatted(7, 1234));
            publish(publisher, "application/" + run + "/device/0004a30b001c0530/event/up", water.formatted(8, 1240));
            publish(publisher, "v3/" + run + "@it/devices/heat-2/up", """
                    {"end_device_ids":{"device_id":"heat-2","application_ids":{"application_id":"heat"},
                     "dev_eui":"A840410000000002"},"uplink_message":{"f_cnt":3,"decoded_payload":
                     {"energy_kwh":12.5,"power_kw":1.25,"flow":0.3},"received_at":"2026-12-04T02:00:06Z"}}
                    """);
            publish(publisher, "application/" + run + "/device/0004a30b001c0531/event/up", "{not json");
            publisher.disconnect();
            publisher.close();

            assertThat(discover.get(60, TimeUnit.SECONDS)).as(err.toString()).isEqualTo(ExitCodes.OK);
        } finally {
            thread.shutdownNow();
        }

        assertThat(out.toString()).contains("Heard 3 uplink(s) of 2 device(s) in 5 s: 5 numeric field(s); 1 uplink(s)"
                + " not understood, e.g.: application/" + run + "/device/0004a30b001c0531/event/up: not JSON");
        String mapping = Files.readString(dir.resolve(DiscoverUplinksCommand.MAPPING));
        assertThat(mapping).contains("- id: \"flat-7\"", "- id: \"heat-2\"")
                .contains("node: \"uplink:0004a30b001c0530/volume\"", "node: \"uplink:0004a30b001c0530/battery/mV\"")
                .contains("node: \"uplink:a840410000000002/energy_kwh\"", "node: \"uplink:a840410000000002/power_kw\"",
                        "node: \"uplink:a840410000000002/flow\"")
                .contains("quantity: \"8-0:1.0.0\"", "quantity: \"1-0:1.8.0\"", "quantity: \"1-0:1.7.0\"")
                .contains("flat-7/readAt (JSON string)", "flat-7/status (JSON string)")
                .doesNotContain("node: \"uplink:0004a30b001c0530/readAt\"");
        String config = Files.readString(dir.resolve(DiscoverCommand.CONFIG));
        assertThat(config).contains("# device-time: \"/readAt\"");

        assertThat(busbar("validate", "--config", dir.resolve(DiscoverCommand.CONFIG).toString()))
                .as(err.toString()).isEqualTo(ExitCodes.OK);
        UplinkSourcePlan source = ConfigFile.load(dir.resolve(DiscoverCommand.CONFIG)).plan().uplinks().get(0);
        assertThat(source.name()).isEqualTo(DiscoverUplinksCommand.SOURCE);
        assertThat(source.url()).isEqualTo(broker.url());
        assertThat(source.topics()).containsExactly(chirpStackTopic, ttsTopic);
        assertThat(source.mapping().nodeIds()).containsExactlyInAnyOrder("uplink:0004a30b001c0530/volume",
                "uplink:0004a30b001c0530/battery/mV", "uplink:a840410000000002/energy_kwh",
                "uplink:a840410000000002/power_kw", "uplink:a840410000000002/flow");
    }

    @Test
    void nothingHeard_exitsOneAndWritesNothing() {
        int code = busbar("discover", "uplinks", "--url", broker.url(), "--topic", "application/" + run + "/silent/+",
                "--listen", "1s", "--out", dir.toString());

        assertThat(code).isEqualTo(ExitCodes.RUNTIME_FAILURE);
        assertThat(err.toString()).contains("discover uplinks: no uplink with numeric fields in its decoded payload");
        assertThat(dir.resolve(DiscoverCommand.CONFIG)).doesNotExist();
        assertThat(dir.resolve(DiscoverUplinksCommand.MAPPING)).doesNotExist();
    }

    @Test
    void invalidOptions_exitTwoBeforeConnecting() {
        int code = busbar("discover", "uplinks", "--url", "http://lns:1883", "--format", "loriot", "--listen", "soon",
                "--ca-file", "ca.pem", "--out", dir.toString());

        assertThat(code).isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString())
                .contains("--url: must be an MQTT broker URL such as tcp://host:1883 or ssl://host:8883, not 'http://lns:1883'")
                .contains("--format: must be chirpstack or tts, not 'loriot'")
                .contains("--listen: must be a duration such as 90s or 15m, not 'soon'")
                .contains("--ca-file: applies only to an ssl:// broker URL");
    }

    @Test
    void discoverWithoutAnEndpoint_pointsToThisSubcommand_andHelpListsIt() {
        assertThat(busbar("discover", "--out", dir.toString())).isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("--endpoint: required: the OPC UA server's endpoint URL (for MQTT uplinks:"
                + " busbar discover uplinks --help)");

        assertThat(busbar("discover", "--help")).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).containsPattern("uplinks +Listen to LoRaWAN uplinks on MQTT");
    }

    private static void publish(MqttClient publisher, String topic, String json) throws Exception {
        MqttMessage message = new MqttMessage(json.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        publisher.publish(topic, message);
    }
}
