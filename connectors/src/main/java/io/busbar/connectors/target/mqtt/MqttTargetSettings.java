package io.busbar.connectors.target.mqtt;

import io.busbar.connectors.target.TargetSettings;
import io.busbar.connectors.tls.TlsSettings;
import java.time.Duration;
import java.util.Optional;

/**
 * An MQTT (v5) broker target.
 *
 * @param name          target name
 * @param url           broker URL: {@code tcp://host:1883}, or {@code ssl://host:8883} for TLS
 * @param topic         topic template, see {@link TopicTemplate}; default {@value #DEFAULT_TOPIC}
 * @param qos           1 (at least once, default) or 2 (exactly once between Busbar and the broker)
 * @param retained      publish as retained messages, so a new subscriber gets each topic's last value
 * @param clientId      MQTT client id; stable, because the broker keeps the session under it.
 *                      Default {@code busbar-<target name>}
 * @param sessionExpiry how long the broker keeps the session (and its in-flight messages) after a
 *                      disconnect; default {@link #DEFAULT_SESSION_EXPIRY}
 * @param username      user name, when the broker wants one
 * @param password      password; never logged
 * @param tls           trust and client certificate for {@code ssl://} URLs
 * @param timeout       connect timeout, and how long a batch waits for its acknowledgements;
 *                      default {@link #DEFAULT_TIMEOUT}
 */
public record MqttTargetSettings(
        String name,
        String url,
        String topic,
        int qos,
        boolean retained,
        String clientId,
        Duration sessionExpiry,
        Optional<String> username,
        Optional<String> password,
        TlsSettings tls,
        Duration timeout) implements TargetSettings {

    public static final String TYPE = "mqtt";
    public static final String DEFAULT_TOPIC = "busbar/{pair}/{meter}/{quantity}";
    public static final int DEFAULT_QOS = 1;
    public static final boolean DEFAULT_RETAINED = false;
    public static final Duration DEFAULT_SESSION_EXPIRY = Duration.ofHours(1);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public MqttTargetSettings {
        if (qos != 1 && qos != 2) {
            throw new IllegalArgumentException("qos must be 1 or 2, not " + qos);
        }
        TopicTemplate.parse(topic);
    }

    /** Settings with every default: QoS 1, not retained, the default topic, no credentials. */
    public static MqttTargetSettings of(String name, String url) {
        return new MqttTargetSettings(name, url, DEFAULT_TOPIC, DEFAULT_QOS, DEFAULT_RETAINED, defaultClientId(name),
                DEFAULT_SESSION_EXPIRY, Optional.empty(), Optional.empty(), TlsSettings.DEFAULT, DEFAULT_TIMEOUT);
    }

    public static String defaultClientId(String targetName) {
        return "busbar-" + targetName;
    }

    public MqttTargetSettings withTopic(String template) {
        return new MqttTargetSettings(name, url, template, qos, retained, clientId, sessionExpiry, username, password, tls, timeout);
    }

    public MqttTargetSettings withQos(int level) {
        return new MqttTargetSettings(name, url, topic, level, retained, clientId, sessionExpiry, username, password, tls, timeout);
    }

    public MqttTargetSettings withRetained(boolean retain) {
        return new MqttTargetSettings(name, url, topic, qos, retain, clientId, sessionExpiry, username, password, tls, timeout);
    }

    public MqttTargetSettings withCredentials(String user, String secret) {
        return new MqttTargetSettings(name, url, topic, qos, retained, clientId, sessionExpiry, Optional.of(user),
                Optional.ofNullable(secret), tls, timeout);
    }

    public MqttTargetSettings withTls(TlsSettings options) {
        return new MqttTargetSettings(name, url, topic, qos, retained, clientId, sessionExpiry, username, password, options, timeout);
    }

    public MqttTargetSettings withTimeout(Duration value) {
        return new MqttTargetSettings(name, url, topic, qos, retained, clientId, sessionExpiry, username, password, tls, value);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String toString() {
        return "MqttTargetSettings[name=" + name + ", url=" + url + ", topic=" + topic + ", qos=" + qos
                + ", retained=" + retained + ", clientId=" + clientId + ", sessionExpiry=" + sessionExpiry
                + ", username=" + username.orElse("none") + ", password=" + (password.isPresent() ? "***" : "none")
                + ", tls=" + tls + ", timeout=" + timeout + "]";
    }
}
