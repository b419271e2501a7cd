package io.busbar.connectors.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.connectors.target.csv.CsvTargetSettings;
import io.busbar.connectors.target.file.FileTargetSettings;
import io.busbar.connectors.target.http.HttpTargetSettings;
import io.busbar.connectors.target.influxdb.InfluxDbTargetSettings;
import io.busbar.connectors.target.kafka.KafkaTargetSettings;
import io.busbar.connectors.target.mqtt.MqttTargetSettings;
import io.busbar.connectors.target.sql.SqlTargetSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry of target types: every type is found by its name and creates its own target. */
class TargetsTest {

    @TempDir
    Path dir;

    /** Settings of every registered type, as a target's own tests build them. */
    private Map<String, TargetSettings> oneOfEach() {
        return Map.of(
                "file", new FileTargetSettings("f", dir.resolve("readings.jsonl")),
                "kafka", new KafkaTargetSettings("k", "localhost:9092", "readings"),
                "mqtt", MqttTargetSettings.of("m", "tcp://localhost:1883"),
                "sql", SqlTargetSettings.of("s", "jdbc:h2:mem:registry"),
                "influxdb", InfluxDbTargetSettings.v1("i", "http://localhost:8086", "energy"),
                "http", HttpTargetSettings.of("h", URI.create("http://localhost:8080/readings")),
                "csv", CsvTargetSettings.append("c", dir));
    }

    @Test
    void everyRegisteredType_hasAUniqueNameAndSettingsThatCarryIt() throws Exception {
        List<String> names = Targets.types().stream().map(TargetType::type).toList();

        assertThat(names).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(oneOfEach().keySet());
        for (TargetType<?> type : Targets.types()) {
            assertThat(Targets.type(type.type())).containsSame(type);
            assertThat(type.settingsClass().getField("TYPE").get(null)).as(type.type()).isEqualTo(type.type());
        }
    }

    @Test
    void everyRegisteredType_generatesTheSchemaOfItsEntriesFromItsConfigRecord() {
        for (TargetType<?> type : Targets.types()) {
            JsonNode schema = type.schema();
            assertThat(schema.path("description").asText()).as(type.type()).isNotBlank();
            assertThat(schema.path("additionalProperties").asBoolean(true)).as(type.type() + ": unknown keys are errors").isFalse();
            assertThat(schema.at("/properties/type").isObject() && schema.at("/properties/type").isEmpty()).as(type.type() + ": admits its type key (the list of types"
                    + " checks its value)").isTrue();
            assertThat(type.configClass().getPackage()).as(type.type() + ": its config record is its own")
                    .isEqualTo(type.getClass().getPackage());
            assertThat(schema.path("properties").has("retry")).as(type.type() + ": a retry policy").isTrue();
        }
    }

    @Test
    void everyRegisteredType_createsItsTargetUnstarted() throws Exception {
        for (Map.Entry<String, TargetSettings> entry : oneOfEach().entrySet()) {
            TargetSettings settings = entry.getValue();
            assertThat(settings.type()).isEqualTo(entry.getKey());
            try (Target target = Targets.create(settings)) {
                assertThat(target.name()).isEqualTo(settings.name());
                assertThat(target.getClass().getPackage()).as(entry.getKey())
                        .isEqualTo(settings.getClass().getPackage());
            }
        }
        assertThat(dir.resolve("readings.jsonl")).as("nothing written before start").doesNotExist();
    }

    @Test
    void unknownTypes_areNotFound_andHaveNoTarget() {
        TargetSettings unregistered = new TargetSettings() {
            @Override
            public String name() {
                return "x";
            }

            @Override
            public String type() {
                return "carrier-pigeon";
            }
        };

        assertThat(Targets.type("carrier-pigeon")).isEmpty();
        assertThatThrownBy(() -> Targets.create(unregistered))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no target implementation for type 'carrier-pigeon'");
    }
}
