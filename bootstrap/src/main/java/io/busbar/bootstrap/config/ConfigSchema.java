package io.busbar.bootstrap.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.busbar.connectors.target.TargetType;
import io.busbar.connectors.target.Targets;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The JSON Schema of {@code busbar.yaml}, as {@code busbar schema} prints it and the validation
 * applies it: the sections as {@value #RESOURCE} writes them, and under {@code $defs/target} the
 * registered target types, each with the keys its own package declares. A new target type
 * therefore needs no edit here or in that file.
 */
final class ConfigSchema {

    static final String RESOURCE = "schema/busbar.schema.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigSchema() {
    }

    static String text() {
        ObjectNode schema = (ObjectNode) read();
        ObjectNode target = (ObjectNode) schema.at("/$defs/target");
        ObjectNode type = (ObjectNode) target.at("/properties/type");
        ArrayNode names = type.putArray("enum");
        ArrayNode branches = target.putArray("allOf");
        List<String> summaries = new ArrayList<>();
        for (TargetType<?> registered : Targets.types()) {
            JsonNode keys = registered.schema();
            names.add(registered.type());
            summaries.add(registered.type() + " (" + keys.path("description").asText() + ")");
            ObjectNode branch = branches.addObject();
            ObjectNode condition = branch.putObject("if");
            condition.putObject("properties").putObject("type").put("const", registered.type());
            condition.putArray("required").add("type");
            branch.set("then", keys);
        }
        List<String> typeNames = Targets.types().stream().map(TargetType::type).toList();
        type.putObject("message").put("enum", "must be one of: " + String.join(", ", typeNames));
        type.put("description", String.join(", ", summaries) + ".");
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(schema) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read() {
        try (InputStream in = ConfigSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            Objects.requireNonNull(in, () -> "schema resource missing from the build: " + RESOURCE);
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
