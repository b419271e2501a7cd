package io.busbar.bootstrap.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The schema the build wrote into the classes is the one the config records generate now, so
 * {@code busbar schema} and validation never run on a stale one; and what the records generate
 * keeps the forms the hand-written schema had.
 */
class ConfigSchemaTest {

    @Test
    void theBuildsSchemaFile_isWhatTheRecordsGenerate() throws Exception {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(ConfigSchema.RESOURCE)) {
            assertThat(in).as(ConfigSchema.RESOURCE + " written by the build (exec-maven-plugin)").isNotNull();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(ConfigSchema.generate());
        }
    }

    @Test
    void generatedSchema_closesEveryRecord_andKeepsSharedFormsInDefs() throws Exception {
        JsonNode schema = new ObjectMapper().readTree(ConfigSchema.generate());

        assertThat(schema.path("additionalProperties").asBoolean(true)).as("unknown top-level keys are errors").isFalse();
        assertThat(schema.at("/$defs/sourcePair/additionalProperties").asBoolean(true)).isFalse();
        assertThat(schema.at("/$defs/duration/pattern").asText()).isEqualTo(Durations.PATTERN);
        assertThat(schema.at("/$defs/name/message/pattern").asText()).startsWith("must be a lower-case kebab-case name");
        assertThat(schema.at("/properties/sources/propertyNames/$ref").asText()).isEqualTo("#/$defs/name");
        assertThat(schema.at("/properties/buffer/properties/max-disk/message/pattern").asText())
                .isEqualTo("must be a size such as 512MB or 10GB");
        assertThat(schema.at("/properties/deployment/properties/mode/enum")).hasSize(3);
        assertThat(schema.at("/properties/deployment/properties/mode/type").isMissingNode())
                .as("a choice has no type of its own, so a value of another type gets the choice's message").isTrue();
        assertThat(schema.at("/properties/forward/required")).hasSize(6);
        assertThat(schema.at("/$defs/tls/dependentRequired/key-store-password/0").asText()).isEqualTo("key-store");
    }
}
