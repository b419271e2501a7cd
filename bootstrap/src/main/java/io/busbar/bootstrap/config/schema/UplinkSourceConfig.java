package io.busbar.bootstrap.config.schema;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.busbar.connectors.schema.Schema;
import io.busbar.connectors.target.TlsConfig;
import io.busbar.connectors.uplink.UplinkParser.TimeSource;
import io.busbar.routes.uplink.UplinkSourcePlan;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** {@code uplinks.<name>:}; checked further and compiled by {@code UplinkSourceCompiler}. */
@Schema.Requires(key = "password", needs = "username")
@Schema.DefaultsIn(UplinkSourcePlan.class)
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

    /** Whose clock a reading's source time is when the file has no {@code time}. */
    public static final TimeSource DEFAULT_TIME = TimeSource.GATEWAY;

    /** Where the device's time is in the decoded object when the file has no {@code device-time}. */
    public static final String DEFAULT_DEVICE_TIME = UplinkSourcePlan.DEFAULT_DEVICE_TIME_POINTER;

    /** Left out, a key takes its default (the topics and the client id depend on the format and the name). */
    public UplinkSourceConfig {
        time = Objects.requireNonNullElse(time, DEFAULT_TIME.name().toLowerCase(Locale.ROOT));
        deviceTime = Objects.requireNonNullElse(deviceTime, DEFAULT_DEVICE_TIME);
        sessionExpiry = Objects.requireNonNullElse(sessionExpiry, UplinkSourcePlan.DEFAULT_SESSION_EXPIRY);
        topics = Objects.requireNonNullElse(topics, List.of());
    }

    /** The network server's JSON the uplinks come in. */
    public UplinkSourcePlan.Format formatOf() {
        return UplinkSourcePlan.Format.valueOf(format.toUpperCase(Locale.ROOT));
    }

    /** Whose clock a reading's source time is. */
    public TimeSource timeSource() {
        return TimeSource.valueOf(time.toUpperCase(Locale.ROOT));
    }
}
