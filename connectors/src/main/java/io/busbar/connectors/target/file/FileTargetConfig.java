package io.busbar.connectors.target.file;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.busbar.connectors.schema.Schema;
import io.busbar.connectors.target.RetryConfig;

/** The keys of a {@code type: file} entry; its schema is generated from this record. */
@JsonClassDescription("a JSON-lines file")
public record FileTargetConfig(
        @Schema.AnyValue String type,
        @JsonProperty(required = true) @Schema.Size(min = 1)
        @JsonPropertyDescription("JSON-lines file, relative to this file; one reading per line.") String path,
        RetryConfig retry) {
}
