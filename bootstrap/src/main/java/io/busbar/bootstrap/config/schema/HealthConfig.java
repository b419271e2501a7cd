package io.busbar.bootstrap.config.schema;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.SchemaGenerationContext;
import io.busbar.connectors.schema.CustomShape;
import io.busbar.connectors.schema.Schema;
import io.busbar.redundancy.HealthCriteria;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** {@code health:} of a source pair. */
@JsonClassDescription("Criteria for a healthy server, combined: connected (always), not more than half of its"
        + " monitored items dead (always), not stale (see stale-after) and every criterion configured here.")
public record HealthConfig(
        @JsonProperty("service-level")
        @JsonPropertyDescription("Use the server's ServiceLevel (Part 4: 0 maintenance, 1 no data, 2-199 degraded,"
                + " 200-255 healthy). true (default) or {threshold: N}.") ServiceLevel serviceLevel,
        @JsonPropertyDescription("A node whose value must change within the timeout.") Heartbeat heartbeat,
        @JsonPropertyDescription("A node whose value says whether this server is the active one (for pairs that do not"
                + " follow Part 4).") Role role,
        @Schema.Unique @JsonPropertyDescription("Nodes whose quality must be Good.") List<String> watch,
        @JsonProperty("stale-after")
        @JsonPropertyDescription("Data liveness. Without it, in hot mode, a server whose source times stand still while"
                + " the partner's advance is stale after 3 sampling (or publishing, if longer) intervals, at least 5s."
                + " Set, that limit is this duration, and in any mode a server whose source times stand still this"
                + " long is stale whatever the partner does (warm and cold: the active server only). At least 3"
                + " intervals.") Duration staleAfter) {

    /** Left out, the ServiceLevel is used at its default threshold and no node is watched. */
    public HealthConfig {
        serviceLevel = Objects.requireNonNullElseGet(serviceLevel, ServiceLevel::defaults);
        watch = Objects.requireNonNullElse(watch, List.of());
    }

    /** A pair without {@code health:}. */
    public static HealthConfig defaults() {
        return new HealthConfig(null, null, null, null, null);
    }

    /** {@code heartbeat:}. */
    public record Heartbeat(@JsonProperty(required = true) String node,
                            @JsonProperty(required = true) Duration timeout) {
    }

    /** {@code role:}. */
    public record Role(@JsonProperty(required = true) String node,
                       @JsonProperty(value = "active-value", required = true)
                       @Schema.Types({"string", "boolean", "integer"}) Object activeValue) {
    }

    /** {@code service-level:} is true, false or {@code {threshold: N}}. */
    @Schema.Shape(ServiceLevel.Shape.class)
    public record ServiceLevel(boolean used, int threshold) {

        /** {@code service-level} left out: used, at {@link HealthCriteria#DEFAULT_SERVICE_LEVEL_THRESHOLD}. */
        public static ServiceLevel defaults() {
            return new ServiceLevel(true, HealthCriteria.DEFAULT_SERVICE_LEVEL_THRESHOLD);
        }

        /** Binds true, false or {@code {threshold: N}} (used, the threshold optional), as the schema admits. */
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static ServiceLevel of(JsonNode written) {
            return new ServiceLevel(!written.isBoolean() || written.asBoolean(),
                    written.path("threshold").asInt(HealthCriteria.DEFAULT_SERVICE_LEVEL_THRESHOLD));
        }

        /** A boolean, or an object with an optional threshold of 2 to 255. */
        public static final class Shape implements CustomShape {
            @Override
            public ObjectNode schema(SchemaGenerationContext context) {
                ObjectNode schema = JsonNodeFactory.instance.objectNode();
                schema.putArray("type").add("boolean").add("object");
                schema.put("additionalProperties", false);
                schema.putObject("properties").putObject("threshold").put("type", "integer").put("minimum", 2)
                        .put("maximum", 255);
                return schema;
            }
        }
    }
}
