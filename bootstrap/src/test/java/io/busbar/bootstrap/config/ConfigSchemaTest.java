package io.busbar.bootstrap.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /**
     * A key's {@code default} comes from the constant its binding falls back to; where its
     * description names a default too, the two agree (60s and 1m are one duration).
     */
    @Test
    void everyDefault_agreesWithWhatTheDescriptionSays() throws Exception {
        JsonNode schema = new ObjectMapper().readTree(ConfigSchema.generate());
        List<String> checked = new ArrayList<>();
        List<String> disagreeing = new ArrayList<>();
        schema.findParents("default").forEach(property -> {
            String description = property.path("description").asText();
            Matcher said = DESCRIBED_DEFAULT.matcher(description);
            if (said.find()) {
                String written = property.get("default").asText();
                checked.add(written);
                if (!sameValue(said.group(1), written) && !description.contains("Default " + written)) {
                    disagreeing.add(description + " ≠ default " + written);
                }
            }
        });

        assertThat(disagreeing).isEmpty();
        assertThat(checked).as("the source pair's, the buffer's, ... defaults are in the schema").hasSizeGreaterThan(15);
    }

    private static final Pattern DESCRIBED_DEFAULT = Pattern.compile("\\bDefault:? '?([^\\s';,)]+?)'?[.;,)]?(\\s|$)");

    private static boolean sameValue(String described, String written) {
        if (described.equalsIgnoreCase(written)) {
            return true;
        }
        return described.matches(Durations.PATTERN) && written.matches(Durations.PATTERN)
                && Durations.parse(described).equals(Durations.parse(written));
    }
}
