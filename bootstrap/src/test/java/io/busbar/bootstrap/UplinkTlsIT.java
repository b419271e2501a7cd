package io.busbar.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.bootstrap.config.ConfigFile;
import io.busbar.connectors.support.TestCertificates;
import io.busbar.connectors.tls.TlsSettings;
import io.busbar.routes.source.IngestBatch;
import io.busbar.routes.uplink.UplinkSource;
import io.busbar.routes.uplink.UplinkSourcePlan;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;
import org.apache.activemq.artemis.spi.core.security.jaas.InVMLoginModule;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An uplink source configured with {@code ssl://}, a CA file and a password from the environment
 * reads from a broker that accepts only TLS and that user (an embedded Artemis MQTT acceptor).
 */
class UplinkTlsIT {

    private static final String USER = "lns";
    private static final String PASSWORD = "uplink-secret";

    @TempDir
    Path dir;

    private EmbeddedActiveMQ broker;
    private UplinkSource source;

    @AfterEach
    void stop() throws Exception {
        if (source != null) {
            source.close();
        }
        if (broker != null) {
            broker.stop();
        }
    }

    @Test
    void sslBroker_caFile_passwordFromTheEnvironment_uplinkIsRead() throws Exception {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.activemq"))
                .setLevel(ch.qos.logback.classic.Level.ERROR); // with security on, Artemis audits each message
        TestCertificates certificates = TestCertificates.shipped();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        var config = new ConfigurationImpl().setPersistenceEnabled(false).setSecurityEnabled(true)
                .setJMXManagementEnabled(false)
                .addAcceptorConfiguration("mqtts", "tcp://127.0.0.1:" + port + "?protocols=MQTT;sslEnabled=true"
                        + ";keyStorePath=" + certificates.keyStore() + ";keyStorePassword=" + certificates.password()
                        + ";keyStoreType=PKCS12");
        config.putSecurityRoles("#", Set.of(new Role("lns", true, true, true, true, true, true, true, true, true, true)));
        SecurityConfiguration users = new SecurityConfiguration();
        users.addUser(USER, PASSWORD);
        users.addRole(USER, "lns");
        broker = new EmbeddedActiveMQ().setConfiguration(config)
                .setSecurityManager(new ActiveMQJAASSecurityManager(InVMLoginModule.class.getName(), users));
        broker.start();

        Files.writeString(dir.resolve("meters.yaml"), """
                meters:
                  - id: heat-12
                    registers:
                      - node: "uplink:70b3d57ed0051a2b/energy_kwh"
                        quantity: "6-0:1.0.0"
                        unit: kWh
                """);
        Files.writeString(dir.resolve("busbar.yaml"), """
                uplinks:
                  heat:
                    url: ssl://127.0.0.1:%d
                    format: tts
                    client-id: busbar-tls-it
                    username: %s
                    password: ${LNS_PASSWORD}
                    tls:
                      ca-file: %s
                mappings:
                  heat: meters.yaml
                targets:
                  out:
                    type: file
                    path: out.jsonl
                routes:
                  - from: heat
                    to: [out]
                """.formatted(port, USER, certificates.caPem()));
        UplinkSourcePlan plan = ConfigFile.load(dir.resolve("busbar.yaml"), Map.of("LNS_PASSWORD", PASSWORD)::get)
                .plan().uplinks().get(0);
        List<IngestBatch> batches = new CopyOnWriteArrayList<>();
        source = new UplinkSource(plan, batches::add, Clock.systemUTC());
        source.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> source.status().connected());

        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(USER);
        options.setPassword(PASSWORD.getBytes(StandardCharsets.UTF_8));
        options.setSocketFactory(new TlsSettings(Optional.of(certificates.caPem()), Optional.empty(), null)
                .sslContext().getSocketFactory());
        MqttClient publisher = new MqttClient(plan.url(), "tls-publisher", new MemoryPersistence());
        try {
            publisher.connect(options);
            MqttMessage message = new MqttMessage("""
                    {"end_device_ids":{"device_id":"heat-12","dev_eui":"70B3D57ED0051A2B"},
                     "uplink_message":{"f_cnt":7,"decoded_payload":{"energy_kwh":88.25},
                       "rx_metadata":[{"time":"2026-12-04T03:00:01.2Z"}]}}
                    """.getBytes(StandardCharsets.UTF_8));
            message.setQos(1);
            publisher.publish("v3/district-heat@plant/devices/heat-12/up", message);
            publisher.disconnect();
        } finally {
            publisher.close();
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> source.status().readings() == 1);
        assertThat(batches).flatExtracting(IngestBatch::readings).singleElement().satisfies(r -> {
            assertThat(r.meter()).isEqualTo("heat-12");
            assertThat(r.value()).isEqualByComparingTo("88.25");
            assertThat(r.sourceTime()).isEqualTo(Instant.parse("2026-12-04T03:00:01.2Z"));
        });
    }
}
