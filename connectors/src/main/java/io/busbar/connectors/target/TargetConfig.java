package io.busbar.connectors.target;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.SchemaGenerationContext;
import io.busbar.connectors.schema.CustomShape;
import io.busbar.connectors.schema.Schema;
import io.busbar.connectors.schema.Variants;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An entry under {@code targets:}: its {@code type} names a registered {@link TargetType}, whose
 * config record gives the rest of its keys. The schema follows the registry, so a new type needs
 * no edit here.
 */
@Schema.Shape(TargetConfig.Shape.class)
public interface TargetConfig {

    /** One branch per registered type, and the list of types with what each delivers to. */
    final class Shape implements CustomShape {
        @Override
        public ObjectNode schema(SchemaGenerationContext context) {
            Map<String, Class<?>> variants = new LinkedHashMap<>();
            List<String> summaries = new ArrayList<>();
            for (TargetType<?> type : Targets.types()) {
                variants.put(type.type(), type.configClass());
                summaries.add(type.type() + " (" + description(type) + ")");
            }
            ObjectNode schema = Variants.schema(context, "type", variants,
                    "must be one of: " + String.join(", ", variants.keySet()));
            ((ObjectNode) schema.at("/properties/type")).put("description", String.join(", ", summaries) + ".");
            return schema;
        }

        private static String description(TargetType<?> type) {
            var description = type.configClass().getAnnotation(com.fasterxml.jackson.annotation.JsonClassDescription.class);
            if (description == null) {
                throw new IllegalStateException(type.configClass().getName() + " needs a @JsonClassDescription:"
                        + " what the " + type.type() + " target delivers to, in a few words");
            }
            return description.value();
        }
    }
}
