package io.busbar.bootstrap.config.schema;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.SchemaGenerationContext;
import io.busbar.bootstrap.config.Durations;
import io.busbar.connectors.schema.CustomShape;
import io.busbar.connectors.schema.Schema;
import io.busbar.redundancy.RedundancyPolicy;
import io.busbar.routes.plan.SourcePairPlan;
import java.time.Duration;
import java.util.Objects;

/** {@code sources.<pair>:}, a redundant pair of servers; checked further and compiled by {@code SourcePairCompiler}. */
@Schema.DefaultsIn({SourcePairPlan.class, RedundancyPolicy.class})
public record SourcePairConfig(
        @JsonProperty(required = true) ServerConfig primary,
        ServerConfig secondary,
        @JsonProperty("publishing-interval")
        @JsonPropertyDescription("How often the servers publish changes. Default 1s.") Duration publishingInterval,
        @JsonProperty("sampling-interval")
        @JsonPropertyDescription("How often the servers sample each node. Default: the publishing interval.")
        Duration samplingInterval,
        @Schema.Choice(value = {"hot", "warm", "cold"}, message = "must be one of: hot, warm, cold")
        @JsonPropertyDescription("OPC UA Part 4 client redundancy mode: hot (both servers subscribed, the active one"
                + " forwarded; default), warm (the standby's session and subscription prepared, publishing enabled at"
                + " failover), cold (the standby connected only at failover).") String mode,
        HealthConfig health,
        @Schema.Choice(value = {"primary", "none"}, message = "must be one of: primary, none")
        @JsonPropertyDescription("The server to choose when both are healthy: primary (default), or none (the higher"
                + " ServiceLevel, a tie going to the primary).") String preferred,
        @JsonPropertyDescription("After a switch away from the preferred primary: sticky (stay; default) or {after:"
                + " <duration>} (back to the primary once it has been healthy that long). Not in co-located mode:"
                + " there both instances follow one rule without shared state and return to the preferred primary"
                + " once it is healthy.") Failback failback,
        @JsonProperty("min-dwell")
        @JsonPropertyDescription("Shortest time between two switches (except away from a dead server). Default 5s.")
        Duration minDwell,
        BackfillConfig backfill,
        PollConfig poll,
        ConnectionConfig connection) {

    /** Left out, a key takes its default; the sampling interval that of the publishing interval. */
    public SourcePairConfig {
        publishingInterval = Objects.requireNonNullElse(publishingInterval, SourcePairPlan.DEFAULT_PUBLISHING_INTERVAL);
        samplingInterval = Objects.requireNonNullElse(samplingInterval, publishingInterval);
        minDwell = Objects.requireNonNullElse(minDwell, RedundancyPolicy.DEFAULT_MIN_DWELL);
        health = Objects.requireNonNullElseGet(health, HealthConfig::defaults);
        backfill = Objects.requireNonNullElseGet(backfill, () -> new BackfillConfig(null, null, null));
        connection = Objects.requireNonNullElseGet(connection, () -> new ConnectionConfig(null, null, null, null));
    }

    /** A pair with a {@code poll:} block is polled; a Modbus gateway pair always is, by these defaults if it has none. */
    public PollConfig pollOrDefaults() {
        return poll == null ? new PollConfig(null, null, null, null) : poll;
    }

    /** {@code failback:} is {@code sticky} or {@code {after: <duration>}}. */
    @Schema.Shape(Failback.Shape.class)
    public record Failback(Duration after) {

        private static final String MESSAGE = "must be sticky or '{'after: <duration>'}'";

        /** Binds {@code sticky} (no {@link #after}) or {@code {after: <duration>}}, as the schema admits. */
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static Failback of(JsonNode written) {
            return new Failback(written.isObject() ? Durations.parse(written.get("after").asText()) : null);
        }

        /** Whether the pair stays on the server it switched to. */
        public boolean sticky() {
            return after == null;
        }

        /** A text must be sticky; an object has exactly the key after. */
        public static final class Shape implements CustomShape {
            @Override
            public ObjectNode schema(SchemaGenerationContext context) {
                ObjectNode schema = JsonNodeFactory.instance.objectNode();
                schema.putArray("type").add("string").add("object");
                schema.putObject("message").put("type", MESSAGE);
                schema.putObject("if").put("type", "string");
                ObjectNode sticky = schema.putObject("then").put("const", "sticky");
                sticky.putObject("message").put("const", MESSAGE);
                ObjectNode after = schema.putObject("else").put("additionalProperties", false);
                after.putArray("required").add("after");
                after.putObject("properties").set("after",
                        context.createDefinitionReference(context.getTypeContext().resolve(Duration.class)));
                return schema;
            }
        }
    }
}
