package io.busbar.connectors.target.mqtt;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.busbar.connectors.schema.Schema;
import io.busbar.connectors.target.RetryConfig;
import io.busbar.connectors.target.TlsConfig;
import java.time.Duration;
import java.util.Objects;

/** The keys of a {@code type: mqtt} entry; its schema is generated from this record. */
@JsonClassDescription("an MQTT v5 broker")
@Schema.Requires(key = "password", needs = "username")
@Schema.DefaultsIn(MqttTargetSettings.class)
public record MqttTargetConfig(
        @Schema.AnyValue String type,
        @JsonProperty(required = true)
        @Schema.Pattern(value = "^(tcp|ssl|ws|wss)://[^\\s/]+(/\\S*)?$",
                message = "must be a broker URL such as tcp://host:1883 or ssl://host:8883")
        @JsonPropertyDescription("Broker URL: tcp://host:1883, or ssl://host:8883 for TLS.") String url,
        @Schema.Size(min = 1) @Schema.Pattern(value = "^[^+#]*$", message = "must not contain the MQTT wildcards + or #")
        @JsonPropertyDescription("Topic template; placeholders {pair}, {meter}, {quantity}, {unit}. Default"
                + " busbar/{pair}/{meter}/{quantity}.") String topic,
        @Schema.Choice(numbers = {1, 2}, message = "must be 1 or 2")
        @JsonPropertyDescription("1 (at least once, default) or 2.") Integer qos,
        @JsonPropertyDescription("Publish retained, so new subscribers get each topic's last value. Default false.")
        Boolean retained,
        @JsonProperty("client-id") @Schema.Size(min = 1, max = 128)
        @JsonPropertyDescription("MQTT client id; the broker keeps the session under it. Default busbar-<target name>.")
        String clientId,
        @JsonProperty("session-expiry")
        @JsonPropertyDescription("How long the broker keeps the session after a disconnect. Default 1h.")
        Duration sessionExpiry,
        @Schema.Size(min = 1) @JsonPropertyDescription("User name.") String username,
        @JsonPropertyDescription("Password. Write ${ENV_VAR} to take it from the environment. Never logged.")
        String password,
        TlsConfig tls,
        @JsonPropertyDescription("Connect timeout and how long a batch waits for its acknowledgements. Default 10s.")
        Duration timeout,
        RetryConfig retry) {

    /** Left out, a key takes its default (its constant in {@link MqttTargetSettings}). */
    public MqttTargetConfig {
        topic = Objects.requireNonNullElse(topic, MqttTargetSettings.DEFAULT_TOPIC);
        qos = Objects.requireNonNullElse(qos, MqttTargetSettings.DEFAULT_QOS);
        retained = Objects.requireNonNullElse(retained, MqttTargetSettings.DEFAULT_RETAINED);
        sessionExpiry = Objects.requireNonNullElse(sessionExpiry, MqttTargetSettings.DEFAULT_SESSION_EXPIRY);
        timeout = Objects.requireNonNullElse(timeout, MqttTargetSettings.DEFAULT_TIMEOUT);
    }
}
