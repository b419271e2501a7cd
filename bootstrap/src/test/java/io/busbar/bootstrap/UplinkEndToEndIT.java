package io.busbar.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.bootstrap.config.ConfigFile;
import io.busbar.bootstrap.support.Http;
import io.busbar.bootstrap.support.InProcessBusbar;
import io.busbar.bootstrap.support.ReadingsFile;
import io.busbar.mappings.model.Reading;
import io.busbar.support.testing.LocalService;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole application with an {@code uplinks:} source on Mosquitto (127.0.0.1:1883) and a file
 * target: busbar.yaml → subscription → buffer → target, the repeat of an uplink is one reading, a
 * bad one is in the source's dead letters, and {@code /actuator/health/uplinks} shows the source.
 */
class UplinkEndToEndIT {

    @TempDir
    Path dir;

    @RegisterExtension
    final InProcessBusbar run = new InProcessBusbar();

    @Test
    void uplinksFromTheBroker_reachTheTarget_once_badOneDeadLettered_healthShowsTheSource() throws Exception {
        Assumptions.assumeTrue(LocalService.accepts(LocalService.HOST, 1883, Duration.ofSeconds(1)),
                "no MQTT broker (Mosquitto) on 127.0.0.1:1883");
        String id = UUID.randomUUID().toString().substring(0, 8);
        Files.createDirectories(dir.resolve("mappings"));
        Files.writeString(dir.resolve("mappings/lora.yaml"), """
                meters:
                  - id: flat-7
                    registers:
                      - node: "uplink:0004a30b001c0530/volume"
                        quantity: "8-0:1.0.0"
                        unit: m3
                        scale: 0.001
                """);
        Files.writeString(dir.resolve("busbar.yaml"), """
                uplinks:
                  lora:
                    url: tcp://127.0.0.1:1883
                    format: chirpstack
                    topics: ["application/%s/device/+/event/up"]
                    time: device
                    device-time: /readAt
                    client-id: busbar-e2e-%s
                    expected-interval: 1h
                mappings:
                  lora: mappings/lora.yaml
                targets:
                  out:
                    type: file
                    path: out/readings.jsonl
                routes:
                  - from: lora
                    to: [out]
                """.formatted(id, id));
        ConfigurableApplicationContext busbar = run.start(ConfigFile.load(dir.resolve("busbar.yaml")));
        Http http = new Http(((WebServerApplicationContext) busbar).getWebServer().getPort());
        await().atMost(Duration.ofSeconds(30)).until(() ->
                http.getJson("/actuator/health/uplinks").at("/details/lora/connected").asBoolean());

        MqttClient publisher = new MqttClient("tcp://127.0.0.1:1883", "e2e-publisher-" + id, new MemoryPersistence());
        publisher.connect(new MqttConnectionOptions());
        String topic = "application/" + id + "/device/0004a30b001c0530/event/up";
        Instant t0 = Instant.parse("2026-12-04T02:00:00Z");
        for (int i = 2; i >= 0; i--) { // newest first: a meter that buffered its readings
            publish(publisher, topic, uplink(t0.plus(Duration.ofMinutes(15L * i)), 1000 + i));
        }
        publish(publisher, topic, uplink(t0, 1000)); // again, as a second gateway or a redelivery would
        publish(publisher, topic, uplink(t0.plus(Duration.ofHours(1)), 0).replace("\"volume\":0", "\"volume\":true"));
        publisher.disconnect();
        publisher.close();

        Path out = dir.resolve("out/readings.jsonl");
        await().atMost(Duration.ofSeconds(30)).until(() -> ReadingsFile.read(out).size() >= 3
                && http.getJson("/actuator/health/uplinks").at("/details/lora/uplinks").asLong() == 5);
        List<Reading> readings = ReadingsFile.read(out);
        assertThat(readings).extracting(Reading::sourceTime).containsExactlyInAnyOrder(t0,
                t0.plus(Duration.ofMinutes(15)), t0.plus(Duration.ofMinutes(30)));
        assertThat(readings).extracting(Reading::pair).containsOnly("lora");
        assertThat(readings).filteredOn(r -> r.sourceTime().equals(t0)).extracting(r -> r.value().stripTrailingZeros().toPlainString())
                .containsExactly("1"); // 1000 litres × 0.001
        JsonNode health = http.getJson("/actuator/health/uplinks");
        assertThat(health.path("status").asText()).isEqualTo("UP");
        assertThat(health.at("/details/lora/readings").asLong()).isEqualTo(3);
        assertThat(health.at("/details/lora/duplicates").asLong()).isEqualTo(1);
        assertThat(health.at("/details/lora/deadLetters").asLong()).isEqualTo(1);
        assertThat(health.at("/details/lora/lastUplink").asText()).isNotEmpty();
        assertThat(health.at("/details/lora/silentDevices/expectedInterval").asText()).isEqualTo("PT1H");
        assertThat(health.at("/details/lora/silentDevices/count").asInt()).as("flat-7 reported").isZero();
        assertThat(health.at("/details/lora/silentDevices/first").isArray()).isTrue();
        assertThat(http.get("/actuator/deadletters").body()).contains("source:lora").contains("value of type Boolean");
    }

    private static String uplink(Instant at, long litres) {
        return """
                {"deduplicationId":"%s","time":"%s","deviceInfo":{"deviceProfileName":"water-v1","deviceName":"flat-7",
                 "devEui":"0004A30B001C0530"},"fCnt":%d,"object":{"volume":%d,"readAt":"%s"},
                 "rxInfo":[{"gatewayId":"gw1","nsTime":"%s"}]}
                """.formatted(UUID.randomUUID(), at.plusSeconds(30), litres, litres, at, at.plusSeconds(30));
    }

    private static void publish(MqttClient publisher, String topic, String json) throws Exception {
        MqttMessage message = new MqttMessage(json.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        publisher.publish(topic, message);
    }

}
