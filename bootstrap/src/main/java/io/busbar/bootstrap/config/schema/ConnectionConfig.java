package io.busbar.bootstrap.config.schema;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.busbar.connectors.opcua.OpcUaSourceOptions;
import io.busbar.connectors.schema.Schema;
import java.time.Duration;
import java.util.Objects;

/** {@code connection:} of a source pair. */
@JsonClassDescription("How quickly a dead server is noticed and how often a lost one is retried.")
@Schema.DefaultsIn(OpcUaSourceOptions.class)
public record ConnectionConfig(
        @JsonProperty("keep-alive-interval") @JsonPropertyDescription("Default 500ms.") Duration keepAliveInterval,
        @JsonProperty("keep-alive-timeout") @JsonPropertyDescription("A server silent this long is dead. Default 1s.")
        Duration keepAliveTimeout,
        @JsonProperty("request-timeout") @JsonPropertyDescription("Default 5s.") Duration requestTimeout,
        @JsonProperty("retry-delay")
        @JsonPropertyDescription("First delay before reconnecting; doubles up to 16s. Default 1s.") Duration retryDelay) {

    /** Left out, a key takes its default. */
    public ConnectionConfig {
        keepAliveInterval = Objects.requireNonNullElse(keepAliveInterval, OpcUaSourceOptions.DEFAULT_KEEP_ALIVE_INTERVAL);
        keepAliveTimeout = Objects.requireNonNullElse(keepAliveTimeout, OpcUaSourceOptions.DEFAULT_KEEP_ALIVE_TIMEOUT);
        requestTimeout = Objects.requireNonNullElse(requestTimeout, OpcUaSourceOptions.DEFAULT_REQUEST_TIMEOUT);
        retryDelay = Objects.requireNonNullElse(retryDelay, OpcUaSourceOptions.DEFAULT_RETRY_DELAY);
    }
}
