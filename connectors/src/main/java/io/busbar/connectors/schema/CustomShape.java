package io.busbar.connectors.schema;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.SchemaGenerationContext;

/**
 * The schema of a value of several forms (see {@link Schema.Shape}), written in code. An
 * implementation has a public no-argument constructor; it may generate the schemas of records it
 * contains through {@code context.createDefinitionReference}.
 */
public interface CustomShape {

    ObjectNode schema(SchemaGenerationContext context);
}
