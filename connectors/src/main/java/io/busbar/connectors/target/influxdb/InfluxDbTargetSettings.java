package io.busbar.connectors.target.influxdb;

import io.busbar.connectors.target.TargetSettings;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * An InfluxDB target, written in line protocol over HTTP.
 *
 * @param name            target name
 * @param url             base URL of the server, e.g. {@code http://influx:8086}
 * @param api             {@link Api#V1} ({@code /write}, InfluxDB 1.x) or {@link Api#V2} ({@code /api/v2/write},
 *                        InfluxDB 2.x/3.x and 1.8+)
 * @param database        v1: the database
 * @param retentionPolicy v1: the retention policy; default: the database's default
 * @param username        v1: user, when authentication is on
 * @param password        v1: its password; never logged
 * @param org             v2: the organization
 * @param bucket          v2: the bucket
 * @param token           v2: an API token with write permission; never logged
 * @param measurement     measurement name; default {@value #DEFAULT_MEASUREMENT}
 * @param timeout         connect and request timeout; default {@link #DEFAULT_TIMEOUT}
 */
public record InfluxDbTargetSettings(
        String name,
        String url,
        Api api,
        Optional<String> database,
        Optional<String> retentionPolicy,
        Optional<String> username,
        Optional<String> password,
        Optional<String> org,
        Optional<String> bucket,
        Optional<String> token,
        String measurement,
        Duration timeout) implements TargetSettings {

    public static final String TYPE = "influxdb";
    public static final Api DEFAULT_API = Api.V1;
    public static final String DEFAULT_MEASUREMENT = "readings";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** The write API. */
    public enum Api {
        V1, V2;

        public static Api fromConfig(String text) {
            return valueOf(text.toUpperCase(Locale.ROOT));
        }
    }

    public InfluxDbTargetSettings {
        if (api == Api.V1 && database.isEmpty()) {
            throw new IllegalArgumentException("InfluxDB v1 needs a database");
        }
        if (api == Api.V2 && (org.isEmpty() || bucket.isEmpty() || token.isEmpty())) {
            throw new IllegalArgumentException("InfluxDB v2 needs org, bucket and token");
        }
    }

    public static InfluxDbTargetSettings v1(String name, String url, String database) {
        return new InfluxDbTargetSettings(name, url, Api.V1, Optional.of(database), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), DEFAULT_MEASUREMENT, DEFAULT_TIMEOUT);
    }

    public static InfluxDbTargetSettings v2(String name, String url, String org, String bucket, String token) {
        return new InfluxDbTargetSettings(name, url, Api.V2, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(org), Optional.of(bucket), Optional.of(token), DEFAULT_MEASUREMENT, DEFAULT_TIMEOUT);
    }

    public InfluxDbTargetSettings withMeasurement(String value) {
        return new InfluxDbTargetSettings(name, url, api, database, retentionPolicy, username, password, org, bucket, token,
                value, timeout);
    }

    public InfluxDbTargetSettings withCredentials(String user, String secret) {
        return new InfluxDbTargetSettings(name, url, api, database, retentionPolicy, Optional.of(user), Optional.ofNullable(secret),
                org, bucket, token, measurement, timeout);
    }

    public InfluxDbTargetSettings withTimeout(Duration value) {
        return new InfluxDbTargetSettings(name, url, api, database, retentionPolicy, username, password, org, bucket, token,
                measurement, value);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String toString() {
        return "InfluxDbTargetSettings[name=" + name + ", url=" + url + ", api=" + api + ", database=" + database.orElse("none")
                + ", retentionPolicy=" + retentionPolicy.orElse("default") + ", username=" + username.orElse("none")
                + ", password=" + (password.isPresent() ? "***" : "none") + ", org=" + org.orElse("none")
                + ", bucket=" + bucket.orElse("none") + ", token=" + (token.isPresent() ? "***" : "none")
                + ", measurement=" + measurement + ", timeout=" + timeout + "]";
    }
}
