package io.busbar.bootstrap.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.busbar.connectors.target.Target;
import io.busbar.connectors.target.TargetSettings;
import io.busbar.connectors.target.TargetType;
import io.busbar.connectors.target.Targets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every registered target type is admitted by the schema with the keys its package declares, and
 * bound from the configuration to its own settings record and target; a type added to the registry
 * fails here until {@code targets-every-type.yaml} has an entry of it.
 */
class TargetTypesTest {

    private static final Path DIR = Path.of("src/test/resources/config");

    private static List<String> registered() {
        return Targets.types().stream().map(TargetType::type).toList();
    }

    @Test
    void theSchemaAdmitsExactlyTheRegisteredTypes_eachWithItsOwnKeys() throws Exception {
        JsonNode target = new ObjectMapper().readTree(ConfigFile.schema().schemaText()).at("/$defs/target");
        List<String> admitted = new ArrayList<>();
        target.at("/properties/type/enum").forEach(type -> admitted.add(type.asText()));
        List<String> withKeys = new ArrayList<>();
        target.path("allOf").forEach(branch -> withKeys.add(branch.at("/if/properties/type/const").asText()));

        assertThat(admitted).containsExactlyElementsOf(registered());
        assertThat(withKeys).containsExactlyElementsOf(registered());
        for (int i = 0; i < Targets.types().size(); i++) {
            JsonNode keys = target.path("allOf").get(i).path("then");
            JsonNode own = Targets.types().get(i).schema();
            List<String> names = new ArrayList<>();
            keys.path("properties").fieldNames().forEachRemaining(names::add);
            List<String> ownNames = new ArrayList<>();
            own.path("properties").fieldNames().forEachRemaining(ownNames::add);
            assertThat(names).as(registered().get(i)).isNotEmpty().containsExactlyElementsOf(ownNames);
            assertThat(keys.path("required")).isEqualTo(own.path("required"));
            assertThat(keys.path("description")).isEqualTo(own.path("description"));
        }
        assertThat(target.at("/properties/type/message/enum").asText())
                .isEqualTo("must be one of: " + String.join(", ", registered()));
    }

    @Test
    void oneEntryOfEveryType_isBoundToItsSettingsAndCreatesItsTarget() throws Exception {
        CompiledConfig config = ConfigFile.load(DIR.resolve("targets-every-type.yaml"));
        Map<String, TargetSettings> byType = config.plan().targets().stream()
                .collect(Collectors.toMap(TargetSettings::type, Function.identity()));

        assertThat(byType.keySet()).containsExactlyInAnyOrderElementsOf(registered());
        for (TargetType<?> type : Targets.types()) {
            TargetSettings settings = byType.get(type.type());
            assertThat(settings).as(type.type()).isInstanceOf(type.settingsClass());
            try (Target target = Targets.create(settings)) {
                assertThat(target.name()).isEqualTo(settings.name());
            }
        }
    }
}
