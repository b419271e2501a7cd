package io.busbar.connectors.target.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.connectors.target.TargetEntry;
import io.busbar.connectors.target.TargetTls;
import io.busbar.connectors.target.TargetType;
import java.util.Objects;
import java.util.Optional;

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
        MqttTargetConfig config = entry.config(MqttTargetConfig.class);
        return new MqttTargetSettings(entry.name(), config.url(), config.topic(), config.qos(), config.retained(),
                Objects.requireNonNullElse(config.clientId(), MqttTargetSettings.defaultClientId(entry.name())),
                config.sessionExpiry(), Optional.ofNullable(config.username()), entry.secret("/password"),
                TargetTls.settings(entry, "/tls"), config.timeout());
    }

    @Override
    public MqttTarget create(MqttTargetSettings settings) {
        return new MqttTarget(settings);
    }
}
