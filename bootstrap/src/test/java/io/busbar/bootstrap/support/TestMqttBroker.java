package io.busbar.bootstrap.support;

import io.busbar.support.testing.LocalService;
import java.time.Duration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

/**
 * An MQTT broker for a test: Mosquitto on 127.0.0.1:1883 where one runs, else (or with
 * {@code -Duplinks.embedded=1}) an embedded Artemis broker with only an MQTT acceptor, so the test
 * runs on a machine with a JDK and Maven only.
 */
public final class TestMqttBroker implements AutoCloseable {

    private final String url;
    private final EmbeddedActiveMQ embedded;

    private TestMqttBroker(String url, EmbeddedActiveMQ embedded) {
        this.url = url;
        this.embedded = embedded;
    }

    public static TestMqttBroker start() throws Exception {
        boolean mosquittoRuns = LocalService.accepts(LocalService.HOST, 1883, Duration.ofSeconds(1));
        if (mosquittoRuns && System.getProperty("uplinks.embedded") == null) {
            return new TestMqttBroker("tcp://127.0.0.1:1883", null);
        }
        int port = io.busbar.support.FreePorts.free();
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(new ConfigurationImpl()
                .setPersistenceEnabled(false)
                .setSecurityEnabled(false)
                .setJMXManagementEnabled(false)
                .addAcceptorConfiguration("mqtt", "tcp://127.0.0.1:" + port + "?protocols=MQTT"));
        broker.start();
        return new TestMqttBroker("tcp://127.0.0.1:" + port, broker);
    }

    public String url() {
        return url;
    }

    @Override
    public void close() throws Exception {
        if (embedded != null) {
            embedded.stop();
        }
    }

}
