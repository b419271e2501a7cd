package io.busbar.connectors.schema;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.SchemaGenerationContext;
import java.util.Map;

/**
 * The schema of an object whose {@code key} (e.g. {@code type}) chooses which record describes the
 * rest of it: the key must be one of the names, and an {@code if}/{@code then} branch per name
 * applies that record's generated schema. Each record lists the key itself with
 * {@link Schema.AnyValue}, since its schema is closed.
 */
public final class Variants {

    private Variants() {
    }

    /** @param variants the records by the value of {@code key}, in the order they are listed */
    public static ObjectNode schema(SchemaGenerationContext context, String key, Map<String, Class<?>> variants,
            String message) {
        ObjectNode schema = JsonNodeFactory.instance.objectNode().put("type", "object");
        schema.putArray("required").add(key);
        ObjectNode name = schema.putObject("properties").putObject(key);
        ArrayNode names = name.putArray("enum");
        ArrayNode branches = schema.putArray("allOf");
        variants.forEach((value, record) -> {
            names.add(value);
            ObjectNode branch = branches.addObject();
            ObjectNode condition = branch.putObject("if");
            condition.putObject("properties").putObject(key).put("const", value);
            condition.putArray("required").add(key);
            branch.set("then", context.createDefinitionReference(context.getTypeContext().resolve(record)));
        });
        ConfigSchemaGenerator.message(name, "enum", message);
        return schema;
    }
}
