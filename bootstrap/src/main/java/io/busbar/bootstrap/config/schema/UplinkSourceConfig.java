package io.busbar.bootstrap.config.schema;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.busbar.connectors.schema.Schema;
import io.busbar.connectors.target.TlsConfig;
import java.time.Duration;
import java.util.List;

/** {@code uplinks.<name>:}; checked further and compiled by {@code UplinkSourceCompiler}. */
@Schema.Requires(key = "password", needs = "username")
public record UplinkSourceConfig(
        @JsonProperty(required = true)
        @Schema.Pattern(value = "^(tcp|ssl)://[^\\s/]+$",
                message = "must be an MQTT broker URL such as tcp://host:1883 or ssl://host:8883")
        @JsonPropertyDescription("The MQTT broker: tcp://host:1883 or ssl://host:8883.") String url,
        @JsonProperty(required = true) @Schema.Choice(value = {"chirpstack", "tts"}, message = "must be chirpstack or tts")
        @JsonPropertyDescription("The network server: chirpstack (v4 JSON) or tts (The Things Stack v3 JSON).")
        String format,
        @Schema.Size(min = 1) @Schema.Items(minLength = 1)
        @JsonPropertyDescription("Topic filters. Default application/+/device/+/event/up (chirpstack) or"
                + " v3/+/devices/+/up (tts).") List<String> topics,
        @Schema.Choice(value = {"device", "gateway"}, message = "must be device or gateway")
        @JsonPropertyDescription("A reading's source time: the device's own time (at device-time in the decoded object)"
                + " or the earliest gateway receive time. Default gateway. Never Busbar's clock.") String time,
        @JsonProperty("device-time") @Schema.Pattern(value = "^/", message = "must be a JSON pointer such as /time")
        @JsonPropertyDescription("JSON pointer of the device's time (ISO-8601 text or epoch seconds) in the decoded"
                + " object. Default /time.") String deviceTime,
        @JsonProperty("client-id") @Schema.Size(min = 1, max = 128)
        @JsonPropertyDescription("MQTT client id; the broker keeps the session (and queues uplinks) under it. Default"
                + " busbar-uplinks-<name>.") String clientId,
        @JsonProperty("expected-interval")
        @JsonPropertyDescription("How often each mapped device reports. A device with no uplink for longer is listed"
                + " in /actuator/health/uplinks (silentDevices) and makes it DEGRADED until it reports. Default: not"
                + " watched.") Duration expectedInterval,
        @JsonProperty("session-expiry")
        @JsonPropertyDescription("How long the broker queues uplinks while Busbar is away. Default 1d.")
        Duration sessionExpiry,
        @Schema.Size(min = 1) @JsonPropertyDescription("User name.") String username,
        @JsonPropertyDescription("Password. Write ${ENV_VAR} to take it from the environment. Never logged.")
        String password,
        TlsConfig tls) {
}
