package io.busbar.mappings.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.busbar.mappings.MappingFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaCheckTest {

    private static final SchemaCheck CHECK = SchemaCheck.fromClasspath("schema-test/check.schema.json");

    @Test
    void validDocument_hasNoProblems() {
        assertThat(check("endpoint: opc.tcp://10.0.0.1:4840\ntimeout: 5\n")).isEmpty();
    }

    @Test
    void messageKeyword_replacesTheValidatorText() {
        assertThat(check("endpoint: http://10.0.0.1\n"))
                .containsExactly("busbar.yaml:1:1: endpoint: must be an opc.tcp:// URL");
    }

    @Test
    void keywordWithoutMessage_keepsTheValidatorTextWithoutItsLocation() {
        assertThat(check("endpoint: opc.tcp://h\ntimeout: 0\n"))
                .containsExactly("busbar.yaml:2:1: timeout: must have a minimum value of 1");
    }

    @Test
    void nestedUnknownKey_isReportedAtTheKey() {
        assertThat(check("endpoint: opc.tcp://h\noptions:\n  retries: 3\n  retires: 4\n"))
                .containsExactly("busbar.yaml:4:3: options.retires: unknown key 'retires'");
    }

    @Test
    void problems_comeSortedByLine() {
        assertThat(check("zzz: 1\noptions:\n  x: 1\ntimeout: -1\n")).containsExactly(
                "busbar.yaml:1:1: missing required key 'endpoint'",
                "busbar.yaml:1:1: zzz: unknown key 'zzz'",
                "busbar.yaml:3:3: options.x: unknown key 'x'",
                "busbar.yaml:4:1: timeout: must have a minimum value of 1");
    }

    @Test
    void missingRequiredKeyOfAnEmptyFile_isAFileLevelProblem() {
        assertThat(check("")).containsExactly("busbar.yaml:0:0: missing required key 'endpoint'");
    }

    @Test
    void missingSchemaResource_failsAtStartup() {
        assertThatThrownBy(() -> SchemaCheck.fromClasspath("schema-test/absent.json"))
                .hasMessage("schema resource missing from the build: schema-test/absent.json");
    }

    /** Descriptions become editor help; a property without one is a gap in the published schema. */
    @Test
    void mappingSchema_describesEveryProperty() throws Exception {
        JsonNode schema = new ObjectMapper().readTree(MappingFile.schema().schemaText());
        List<String> undocumented = new ArrayList<>();
        collectUndocumented(schema, "", undocumented);

        assertThat(undocumented).isEmpty();
        assertThat(schema.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
    }

    private static void collectUndocumented(JsonNode schema, String path, List<String> undocumented) {
        for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
            if (!property.getValue().hasNonNull("description")) {
                undocumented.add(path + "/" + property.getKey());
            }
        }
        schema.path("$defs").properties().forEach(def -> collectUndocumented(def.getValue(), "#/$defs/" + def.getKey(), undocumented));
    }

    private static List<String> check(String yaml) {
        return CHECK.check(LocatedDocument.parse(yaml, "busbar.yaml")).stream().map(Problem::toString).toList();
    }
}
