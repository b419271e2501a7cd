package io.busbar.bootstrap.config.schema;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.busbar.connectors.schema.Name;
import io.busbar.connectors.schema.Schema;
import io.busbar.connectors.target.TargetConfig;
import java.util.List;
import java.util.Map;

/**
 * {@code busbar.yaml}: every section as a record, from which {@link io.busbar.bootstrap.config}'s
 * ConfigSchema generates the JSON Schema that {@code busbar schema} prints and validation applies.
 * Which sections a file needs (sources or uplinks unless it is a central, targets and routes unless
 * it forwards) is added there.
 */
@JsonClassDescription("Source pairs (redundant OPC UA servers), their mapping files, the targets readings go to,"
        + " which pair feeds which target, and the durable buffer between them.")
public record BusbarConfig(
        @Schema.Size(min = 1) @JsonPropertyDescription("Named source pairs. The name is part of every reading key.")
        Map<Name, SourcePairConfig> sources,
        @Schema.Size(min = 1)
        @JsonPropertyDescription("Named IoT uplink sources: a LoRaWAN network server's uplinks (ChirpStack v4, The"
                + " Things Stack v3) on an MQTT broker. The name is part of every reading key; its mapping file"
                + " addresses registers as uplink:<device EUI><JSON pointer>.") Map<Name, UplinkSourceConfig> uplinks,
        @JsonPropertyDescription("Mapping file(s) per source pair, relative to this file.")
        Map<Name, MappingFilesConfig> mappings,
        @Schema.Size(min = 1) @JsonPropertyDescription("Named targets. Each has its own durable queue.")
        Map<Name, TargetConfig> targets,
        @Schema.Size(min = 1) @JsonPropertyDescription("Which source pair feeds which targets.")
        List<RouteConfig> routes,
        BufferConfig buffer,
        AccountingConfig accounting,
        DeploymentConfig deployment,
        ForwardConfig forward,
        CentralConfig central) {

    /** One entry of {@code routes:}. */
    public record RouteConfig(
            @com.fasterxml.jackson.annotation.JsonProperty(required = true)
            @JsonPropertyDescription("A source pair name.") String from,
            @com.fasterxml.jackson.annotation.JsonProperty(required = true) @Schema.Size(min = 1) @Schema.Unique
            @JsonPropertyDescription("Target names.") List<String> to) {
    }
}
