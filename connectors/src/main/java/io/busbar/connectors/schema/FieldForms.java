package io.busbar.connectors.schema;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.CustomDefinition;
import com.github.victools.jsonschema.generator.CustomPropertyDefinition;
import com.github.victools.jsonschema.generator.FieldScope;
import com.github.victools.jsonschema.generator.SchemaGenerationContext;
import java.util.Collection;
import java.util.Map;

/** Writes a field's {@link Schema} annotations into the schema victools made of its Java type. */
final class FieldForms {

    private FieldForms() {
    }

    /**
     * The schema of a field whose annotations replace what its Java type says: any value, a
     * choice of values (without a {@code type}, so a value of another type gets the choice's one
     * message), or a list of JSON types.
     */
    static CustomPropertyDefinition definition(FieldScope field, SchemaGenerationContext context) {
        if (field.isFakeContainerItemScope()) {
            return null;
        }
        ObjectNode schema = JsonNodeFactory.instance.objectNode();
        Schema.Choice choice = field.getAnnotation(Schema.Choice.class);
        Schema.Types types = field.getAnnotation(Schema.Types.class);
        if (choice != null) {
            ConfigSchemaGenerator.strings(schema.putArray("enum"), choice.value());
            for (int number : choice.numbers()) {
                schema.withArray("enum").add(number);
            }
            ConfigSchemaGenerator.message(schema, "enum", choice.message());
        } else if (types != null) {
            ConfigSchemaGenerator.putTypes(schema, types.value());
        } else if (field.getAnnotation(Schema.AnyValue.class) == null) {
            return null;
        }
        return new CustomPropertyDefinition(schema, CustomDefinition.AttributeInclusion.YES);
    }

    static void apply(ObjectNode schema, FieldScope field, SchemaGenerationContext context) {
        if (field.isFakeContainerItemScope()) { // a list's items: only Items speaks of them
            Schema.Items item = field.getAnnotation(Schema.Items.class);
            if (item != null && !item.description().isEmpty()) {
                schema.put("description", item.description());
            }
            if (item != null && item.minLength() > 0) {
                schema.put("minLength", item.minLength());
            }
            return;
        }
        Class<?> type = field.getType().getErasedType();
        Schema.Size size = field.getAnnotation(Schema.Size.class);
        if (size != null) {
            String[] keywords = Collection.class.isAssignableFrom(type) ? new String[] {"minItems", "maxItems"}
                    : Map.class.isAssignableFrom(type) ? new String[] {"minProperties", "maxProperties"}
                    : new String[] {"minLength", "maxLength"};
            if (size.min() > 0) {
                schema.put(keywords[0], size.min());
            }
            if (size.max() < Integer.MAX_VALUE) {
                schema.put(keywords[1], size.max());
            }
        }
        Schema.Pattern pattern = field.getAnnotation(Schema.Pattern.class);
        if (pattern != null) {
            schema.put("pattern", pattern.value());
            ConfigSchemaGenerator.message(schema, "pattern", pattern.message());
        }
        Schema.Range range = field.getAnnotation(Schema.Range.class);
        if (range != null) {
            if (!Double.isNaN(range.min())) {
                number(schema, range.exclusiveMin() ? "exclusiveMinimum" : "minimum", range.min());
            }
            if (!Double.isNaN(range.max())) {
                number(schema, "maximum", range.max());
            }
        }
        if (field.getAnnotation(Schema.Unique.class) != null) {
            schema.put("uniqueItems", true);
        }
        Schema.KeyPattern keys = field.getAnnotation(Schema.KeyPattern.class);
        if (keys != null) {
            schema.putObject("propertyNames").put("pattern", keys.value());
        }
        if (Map.class.isAssignableFrom(type)) {
            Class<?> keyType = field.getType().getTypeParameters().get(0).getErasedType();
            if (keyType != String.class) { // a value type such as a name: its schema checks each key
                schema.set("propertyNames", context.createDefinitionReference(field.getType().getTypeParameters().get(0)));
            }
        }
    }

    /** 2 rather than 2.0, so the schema reads as written. */
    private static void number(ObjectNode schema, String keyword, double value) {
        if (value == Math.rint(value)) {
            schema.put(keyword, (long) value);
        } else {
            schema.put(keyword, value);
        }
    }
}
