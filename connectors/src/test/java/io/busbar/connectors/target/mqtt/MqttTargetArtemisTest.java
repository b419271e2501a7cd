package io.busbar.connectors.target.mqtt;

import static io.busbar.connectors.support.TestReadings.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.busbar.connectors.support.TestCertificates;
import io.busbar.connectors.tls.TlsSettings;
import io.busbar.mappings.model.Reading;
import io.busbar.support.FreePorts;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;
import org.apache.activemq.artemis.spi.core.security.jaas.InVMLoginModule;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MQTT target against an embedded ActiveMQ Artemis broker with MQTT acceptors (plain and TLS),
 * user name and password required. Runs everywhere.
 */
class MqttTargetArtemisTest extends MqttTargetContract {

    private static final String USER = "busbar";
    private static final String PASSWORD = "s3cret-pw";

    private static EmbeddedActiveMQ broker;
    private static int plainPort;
    private static int tlsPort;
    private static TestCertificates certificates;

    @BeforeAll
    static void startBroker() throws Exception {
        // With security on, Artemis audits every message at INFO; the broker is not under test here.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.activemq"))
                .setLevel(ch.qos.logback.classic.Level.ERROR);
        plainPort = FreePorts.free();
        tlsPort = FreePorts.free();
        certificates = TestCertificates.shipped();
        Configuration config = new ConfigurationImpl()
                .setPersistenceEnabled(false)
                .setSecurityEnabled(true)
                .setJMXManagementEnabled(false)
                .addAcceptorConfiguration("mqtt", "tcp://127.0.0.1:" + plainPort + "?protocols=MQTT")
                .addAcceptorConfiguration("mqtts", "tcp://127.0.0.1:" + tlsPort + "?protocols=MQTT;sslEnabled=true"
                        + ";keyStorePath=" + certificates.keyStore() + ";keyStorePassword=" + certificates.password()
                        + ";keyStoreType=PKCS12");
        config.putSecurityRoles("#", Set.of(new Role("publisher", true, true, true, true, true, true, true, true, true, true)));
        SecurityConfiguration users = new SecurityConfiguration();
        users.addUser(USER, PASSWORD);
        users.addRole(USER, "publisher");
        broker = new EmbeddedActiveMQ()
                .setConfiguration(config)
                .setSecurityManager(new ActiveMQJAASSecurityManager(InVMLoginModule.class.getName(), users));
        broker.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.stop();
    }

    @Override
    protected String brokerUrl() {
        return "tcp://127.0.0.1:" + plainPort;
    }

    @Override
    protected MqttTargetSettings withAccess(MqttTargetSettings base) {
        return base.withCredentials(USER, PASSWORD);
    }

    @Override
    protected MqttConnectionOptions subscriberOptions() {
        MqttConnectionOptions options = super.subscriberOptions();
        options.setUserName(USER);
        options.setPassword(PASSWORD.getBytes(StandardCharsets.UTF_8));
        return options;
    }

    @Test
    void wrongPassword_isATransientFailure_andThePasswordIsNeverShown() throws Exception {
        MqttTarget target = started(settings(brokerUrl()).withCredentials(USER, "wrong-pw-123"));

        assertThatThrownBy(() -> target.deliver(batch(2)))
                .isInstanceOf(MqttTarget.MqttDeliveryException.class)
                .hasMessageContaining("cannot connect")
                .hasMessageNotContaining("wrong-pw-123");
        assertThat(settings(brokerUrl()).toString()).doesNotContain(PASSWORD).contains("password=***");
    }

    @Test
    void tls_withTheServersCaFile_deliversOverSsl() throws Exception {
        List<Received> received = subscribe(1);
        TlsSettings tls = new TlsSettings(Optional.of(certificates.caPem()), Optional.empty(), null);
        MqttTarget target = started(settings("ssl://127.0.0.1:" + tlsPort).withTls(tls));
        List<Reading> batch = batch(5);

        target.deliver(batch);

        await().atMost(WAIT).until(() -> received.size() >= batch.size());
        assertThat(received).extracting(Received::reading).containsExactlyInAnyOrderElementsOf(batch);
    }

    @Test
    void tls_withoutTrustInTheServerCertificate_fails() throws Exception {
        MqttTarget target = started(settings("ssl://127.0.0.1:" + tlsPort));

        assertThatThrownBy(() -> target.deliver(batch(1))).isInstanceOf(MqttTarget.MqttDeliveryException.class);
    }
}
