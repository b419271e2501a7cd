package io.busbar.bootstrap.config.schema;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.SchemaGenerationContext;
import io.busbar.connectors.schema.CustomShape;
import io.busbar.connectors.schema.Schema;
import java.util.List;

/** The mapping file of a pair, or a list of them: {@code mappings.<pair>}. */
@Schema.Shape(MappingFilesConfig.Shape.class)
public record MappingFilesConfig(List<String> files) {

    /** A non-empty path, or a non-empty list of non-empty paths. */
    public static final class Shape implements CustomShape {
        @Override
        public ObjectNode schema(SchemaGenerationContext context) {
            ObjectNode schema = JsonNodeFactory.instance.objectNode();
            schema.putArray("type").add("string").add("array");
            schema.put("minLength", 1).put("minItems", 1);
            schema.putObject("items").put("type", "string").put("minLength", 1);
            schema.putObject("message").put("type", "must be a mapping file path or a list of them");
            return schema;
        }
    }
}
