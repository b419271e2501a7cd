package io.busbar.connectors.target.csv;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.SchemaGenerationContext;
import io.busbar.connectors.schema.CustomShape;
import io.busbar.connectors.schema.Schema;

/**
 * A column of a CSV file (a csv target's, the accounting totals'): a field name (the header is the
 * name), {@code {header, field}} or {@code {header, text}} (a constant).
 */
@Schema.Shape(ColumnConfig.Shape.class)
public interface ColumnConfig {

    /** Binds any of the three forms, as the schema admits; a field name becomes {@code {header: name, field: name}}. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static ColumnConfig of(JsonNode written) {
        if (written.isTextual()) {
            return new Field(written.asText(), written.asText());
        }
        return written.has("field") ? new Field(written.get("header").asText(), written.get("field").asText())
                : new Text(written.get("header").asText(), written.get("text").asText());
    }

    /** {@code {header, field}}. */
    record Field(@JsonProperty(required = true) String header,
                 @JsonProperty(required = true) @Schema.Size(min = 1) String field) implements ColumnConfig {
    }

    /** {@code {header, text}}. */
    record Text(@JsonProperty(required = true) String header,
                @JsonProperty(required = true) String text) implements ColumnConfig {
    }

    /** Any of the three forms. */
    final class Shape implements CustomShape {
        @Override
        public ObjectNode schema(SchemaGenerationContext context) {
            ObjectNode schema = JsonNodeFactory.instance.objectNode();
            var anyOf = schema.putArray("anyOf");
            anyOf.addObject().put("type", "string").put("minLength", 1);
            anyOf.add(context.createDefinitionReference(context.getTypeContext().resolve(Field.class)));
            anyOf.add(context.createDefinitionReference(context.getTypeContext().resolve(Text.class)));
            schema.putObject("message").put("anyOf", "must be a field name, {header, field} or {header, text}");
            return schema;
        }
    }
}
