package io.busbar.connectors.target.influxdb;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.busbar.connectors.schema.Schema;
import io.busbar.connectors.target.RetryConfig;
import java.time.Duration;
import java.util.Objects;

/** The keys of a {@code type: influxdb} entry; its schema is generated from this record. */
@JsonClassDescription("InfluxDB 1.x or 2.x/3.x, in line protocol")
@Schema.Requires(key = "password", needs = "username")
@Schema.RequiredWhen(key = "api", equals = "v2", then = {"org", "bucket", "token"}, otherwise = "database")
@Schema.DefaultsIn(InfluxDbTargetSettings.class)
public record InfluxDbTargetConfig(
        @Schema.AnyValue String type,
        @JsonProperty(required = true)
        @Schema.Pattern(value = "^https?://\\S+$", message = "must be an http:// or https:// URL")
        @JsonPropertyDescription("Base URL, e.g. http://influx:8086.") String url,
        @Schema.Choice(value = {"v1", "v2"}, message = "must be v1 or v2")
        @JsonPropertyDescription("v1: /write (InfluxDB 1.x; needs database), v2: /api/v2/write (InfluxDB 2.x/3.x;"
                + " needs org, bucket, token). Default v1.") String api,
        @Schema.Size(min = 1) @JsonPropertyDescription("v1: the database.") String database,
        @JsonProperty("retention-policy") @Schema.Size(min = 1)
        @JsonPropertyDescription("v1: the retention policy; default the database's default.") String retentionPolicy,
        @Schema.Size(min = 1) @JsonPropertyDescription("v1: user, when authentication is on.") String username,
        @JsonPropertyDescription("v1: password. Write ${ENV_VAR} to take it from the environment. Never logged.")
        String password,
        @Schema.Size(min = 1) @JsonPropertyDescription("v2: organization.") String org,
        @Schema.Size(min = 1) @JsonPropertyDescription("v2: bucket.") String bucket,
        @JsonPropertyDescription("v2: API token with write permission. Write ${ENV_VAR} to take it from the"
                + " environment. Never logged.") String token,
        @Schema.Size(min = 1) @JsonPropertyDescription("Measurement. Default readings.") String measurement,
        @JsonPropertyDescription("Connect and request timeout. Default 10s.") Duration timeout,
        RetryConfig retry) {

    /** Left out, a key takes its default (its constant in {@link InfluxDbTargetSettings}). */
    public InfluxDbTargetConfig {
        measurement = Objects.requireNonNullElse(measurement, InfluxDbTargetSettings.DEFAULT_MEASUREMENT);
        timeout = Objects.requireNonNullElse(timeout, InfluxDbTargetSettings.DEFAULT_TIMEOUT);
    }
}
