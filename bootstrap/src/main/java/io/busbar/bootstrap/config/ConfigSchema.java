package io.busbar.bootstrap.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.busbar.bootstrap.config.schema.BusbarConfig;
import io.busbar.connectors.schema.ConfigSchemaGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON Schema of {@code busbar.yaml}, as {@code busbar schema} prints it and the validation
 * applies it: generated from {@link BusbarConfig} and the records of its sections (a target entry
 * from the config record of each registered target type), plus which sections a file needs.
 * Nothing of it is written by hand, so a new key or target type needs no edit here.
 *
 * <p>The build generates it ({@link WriteConfigSchema}, run by exec-maven-plugin after compiling)
 * into {@value #RESOURCE}, and a run reads that: generating takes seconds of reflection on a cold
 * JVM (2.4 and 4.7 s in two runs in a test JVM, on a shared machine at load 27), which every start and {@code busbar validate} would
 * pay. {@code ConfigSchemaTest} keeps the file equal to what the records generate.
 */
final class ConfigSchema {

    static final String RESOURCE = "schema/busbar.schema.json";

    private ConfigSchema() {
    }

    /** The schema the build generated; generated now when run from classes the build did not finish. */
    static String text() {
        try (InputStream in = ConfigSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            return in == null ? generate() : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The schema as the records give it now. */
    static String generate() {
        ObjectNode schema = new ConfigSchemaGenerator().generate(BusbarConfig.class);
        ObjectNode ordered = new ObjectMapper().createObjectNode();
        ordered.set("$schema", schema.remove("$schema"));
        ordered.put("$id", "https://busbar.io/schema/busbar.schema.json");
        ordered.put("title", "Busbar configuration");
        ordered.setAll(schema);
        // Which sections a file needs depends on its role, a rule between sections no record says:
        // a central receives its pairs from sites, a forwarding site delivers to no target of its own.
        var required = ordered.putArray("allOf");
        ObjectNode sourcesUnlessCentral = required.addObject();
        sourcesUnlessCentral.putObject("if").putObject("not").putArray("required").add("central");
        ObjectNode sources = sourcesUnlessCentral.putObject("then");
        sources.putArray("anyOf").add(requiring("sources")).add(requiring("uplinks"));
        sources.putArray("required").add("mappings");
        ObjectNode targetsUnlessForwarding = required.addObject();
        targetsUnlessForwarding.putObject("if").putObject("not").putArray("required").add("forward");
        targetsUnlessForwarding.putObject("then").putArray("required").add("targets").add("routes");
        try {
            return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(ordered) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode requiring(String key) {
        ObjectNode schema = new ObjectMapper().createObjectNode();
        schema.putArray("required").add(key);
        return schema;
    }
}
