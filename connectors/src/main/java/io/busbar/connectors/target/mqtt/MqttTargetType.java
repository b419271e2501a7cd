package io.busbar.connectors.target.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.connectors.target.TargetEntry;
import io.busbar.connectors.target.TargetTls;
import io.busbar.connectors.target.TargetType;

/** {@code type: mqtt}: readings published to an MQTT v5 broker, QoS 1 or 2. */
public final class MqttTargetType extends TargetType<MqttTargetSettings> {

    public MqttTargetType() {
        super(MqttTargetSettings.TYPE, MqttTargetSettings.class, MqttTargetConfig.class);
    }

    @Override
    public void check(TargetEntry entry) {
        entry.secret("/password");
        TargetTls.check(entry, "/tls");
        JsonNode topic = entry.node().path("topic");
        if (topic.isTextual()) {
            TopicTemplate.problem(topic.asText()).ifPresent(p -> entry.problem("/topic", p));
        }
    }

    @Override
    public MqttTargetSettings settings(TargetEntry entry) {
        JsonNode t = entry.node();
        return new MqttTargetSettings(entry.name(), t.get("url").asText(),
                entry.text("/topic", MqttTargetSettings.DEFAULT_TOPIC),
                t.path("qos").asInt(MqttTargetSettings.DEFAULT_QOS),
                t.path("retained").asBoolean(MqttTargetSettings.DEFAULT_RETAINED),
                entry.text("/client-id", MqttTargetSettings.defaultClientId(entry.name())),
                entry.duration("/session-expiry", MqttTargetSettings.DEFAULT_SESSION_EXPIRY),
                entry.text("/username"), entry.secret("/password"), TargetTls.settings(entry, "/tls"),
                entry.duration("/timeout", MqttTargetSettings.DEFAULT_TIMEOUT));
    }

    @Override
    public MqttTarget create(MqttTargetSettings settings) {
        return new MqttTarget(settings);
    }
}
