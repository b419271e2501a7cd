package io.busbar.bootstrap.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.busbar.connectors.target.TargetSettings;
import io.busbar.connectors.target.csv.CsvTargetSettings;
import io.busbar.connectors.target.file.FileTargetSettings;
import io.busbar.connectors.target.http.HttpTargetSettings;
import io.busbar.connectors.target.influxdb.InfluxDbTargetSettings;
import io.busbar.connectors.target.kafka.KafkaTargetSettings;
import io.busbar.connectors.target.mqtt.MqttTargetSettings;
import io.busbar.connectors.target.sql.SqlTargetSettings;
import io.busbar.mappings.model.ServerRole;
import io.busbar.mappings.yaml.InvalidConfigurationException;
import io.busbar.mappings.yaml.Problem;
import io.busbar.routes.plan.ForwardingScope;
import io.busbar.routes.plan.SourcePairPlan;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ConfigFileTest {

    private static final Path DIR = Path.of("src/test/resources/config");

    private static List<String> problemsOf(String fixture) {
        Path file = DIR.resolve(fixture);
        return ((InvalidConfigurationException) org.assertj.core.api.Assertions.catchThrowable(() -> ConfigFile.load(file)))
                .problems().stream().map(Problem::toString).toList();
    }

    private static String at(String fixture) {
        return DIR.resolve(fixture).toString();
    }

    @Test
    void fullConfig_compilesEverySection() {
        CompiledConfig config = ConfigFile.load(DIR.resolve("full.yaml"));

        assertThat(config.plan().pairs()).extracting(SourcePairPlan::name).containsExactly("plant", "substation-2");
        SourcePairPlan plant = config.plan().pairs().get(0);
        assertThat(plant.primary().endpoint()).isEqualTo("opc.tcp://scada-1:4840/busbar");
        assertThat(plant.secondary()).hasValueSatisfying(s -> {
            assertThat(s.role()).isEqualTo(ServerRole.SECONDARY);
            assertThat(s.endpoint()).isEqualTo("opc.tcp://scada-2:4840");
        });
        assertThat(plant.primary().options().publishingInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(plant.primary().options().samplingInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(plant.targets()).containsExactly("readings-file", "kafka");
        assertThat(plant.mapping().register("ns=2;s=Meter001.Energy").scale()).isEqualByComparingTo(new BigDecimal("0.001"));
        assertThat(config.plan().pairs().get(1).secondary()).isEmpty();
        assertThat(config.plan().pairsFeeding("kafka")).containsExactly("plant", "substation-2");
        assertThat(config.plan().targets()).containsExactly(
                new FileTargetSettings("readings-file", DIR.toAbsolutePath().resolve("out/readings.jsonl").normalize()),
                new KafkaTargetSettings("kafka", "localhost:9092", "busbar.readings"));
        assertThat(config.bufferDataDir()).isEqualTo(DIR.toAbsolutePath().resolve("buffer").normalize());
    }

    @Test
    void minimalConfig_usesDefaults() {
        CompiledConfig config = ConfigFile.load(DIR.resolve("minimal.yaml"));

        SourcePairPlan plant = config.plan().pairs().get(0);
        assertThat(plant.secondary()).isEmpty();
        assertThat(plant.primary().options().publishingInterval()).isEqualTo(SourcePairPlan.DEFAULT_PUBLISHING_INTERVAL);
        assertThat(plant.primary().options().samplingInterval()).isEqualTo(plant.primary().options().publishingInterval());
        assertThat(config.bufferDataDir()).isEqualTo(DIR.toAbsolutePath().resolve(CompiledConfig.DEFAULT_DATA_DIR).normalize());
    }

    @Test
    void yamlSyntaxError_isReportedWithItsLine() {
        assertThat(problemsOf("invalid-syntax.yaml")).singleElement().asString()
                .startsWith(at("invalid-syntax.yaml") + ":5:")
                .contains("YAML syntax error");
    }

    @Test
    void unknownKey_isReportedAtTheKeyWithTheMissingOne() {
        assertThat(problemsOf("invalid-unknown-key.yaml")).containsExactly(
                at("invalid-unknown-key.yaml") + ":3:5: sources.plant.primary: missing required key 'endpoint'",
                at("invalid-unknown-key.yaml") + ":4:7: sources.plant.primary.endpont: unknown key 'endpont'");
    }

    @Test
    void referenceToMissingTarget_namesTheDefinedOnes() {
        assertThat(problemsOf("invalid-missing-target.yaml")).containsExactly(
                at("invalid-missing-target.yaml") + ":13:15: routes[0].to[1]: unknown target 'historian' (defined: out)");
    }

    @Test
    void endpointThatIsNotOpcTcp_isRejected() {
        assertThat(problemsOf("invalid-endpoint.yaml")).containsExactly(
                at("invalid-endpoint.yaml") + ":4:7: sources.plant.primary.endpoint: must be an opc.tcp://host:port URL or a modbus-tcp://host:port address");
    }

    @Test
    void unknownTargetType_listsTheKnownOnes() {
        assertThat(problemsOf("invalid-target-type.yaml")).containsExactly(
                at("invalid-target-type.yaml") + ":9:5: targets.out.type: must be one of: file, kafka, mqtt, sql, influxdb, http, csv");
    }

    @Test
    void kafkaTarget_needsTopicAndRejectsFileKeys() {
        assertThat(problemsOf("invalid-kafka-missing-topic.yaml")).containsExactly(
                at("invalid-kafka-missing-topic.yaml") + ":8:3: targets.bus: missing required key 'topic'",
                at("invalid-kafka-missing-topic.yaml") + ":11:5: targets.bus.path: unknown key 'path'");
    }

    @Test
    void kafkaTarget_topicTemplateAndProducerProperties_secretFromTheEnvironment() {
        CompiledConfig config = ConfigFile.load(DIR.resolve("kafka-options.yaml"),
                Map.of("KAFKA_JAAS", "org.apache.kafka.common.security.scram.ScramLoginModule required;")::get);
        KafkaTargetSettings kafka = (KafkaTargetSettings) config.plan().targets().get(0);

        assertThat(kafka.topic()).isEqualTo("busbar.{pair}.{quantity}");
        assertThat(kafka.properties()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;")
                .containsEntry("linger.ms", "20");
        assertThat(kafka.toString()).doesNotContain("ScramLoginModule");
    }

    @Test
    void kafkaTarget_unknownPlaceholder_reservedProperty_unsetSecret_areReported() {
        String f = at("invalid-kafka-options.yaml");
        assertThat(problemsOf("invalid-kafka-options.yaml")).containsExactly(
                f + ":11:5: targets.bus.topic: has an unknown placeholder {site}; known: {pair}, {meter}, {quantity}",
                f + ":13:7: targets.bus.properties.acks: acks is set by Busbar (acks=all, idempotent producer, brokers"
                        + " from brokers:); remove it",
                f + ":14:7: targets.bus.properties.sasl.jaas.config: environment variable KAFKA_JAAS is not set");
    }

    @Test
    void brokenReferences_areAllReported() {
        String f = at("invalid-references.yaml");
        assertThat(problemsOf("invalid-references.yaml")).containsExactly(
                f + ":2:3: sources.plant: source pair 'plant' feeds no target: add a routes entry with from: plant",
                f + ":5:3: sources.orphan: source pair 'orphan' feeds no target: add a routes entry with from: orphan",
                f + ":5:3: sources.orphan: source pair 'orphan' has no mapping file: add mappings.orphan",
                f + ":10:3: mappings.ghost: mapping for unknown source pair 'ghost'",
                f + ":16:5: routes[0].from: unknown source pair 'plnt' (defined: plant, orphan)");
    }

    @Test
    void problemsInMappingFiles_areReportedWithTheMappingFileName() {
        assertThat(problemsOf("invalid-mapping-file.yaml")).containsExactly(
                DIR.resolve("mappings/broken.yaml") + ":4:9: meters[0].registers[0].node: must be an OPC UA NodeId such as"
                        + " ns=2;s=Meter001.Energy or ns=0;i=2267, not 'not-a-node-id'",
                DIR.resolve("mappings/missing.yaml") + ":0:0: file not found");
    }

    @Test
    void severalMistakes_areAllListedInLineOrder() {
        String f = at("invalid-several.yaml");
        assertThat(problemsOf("invalid-several.yaml")).containsExactly(
                f + ":5:5: sources.plant.publishing-interval: must be a duration such as 500ms, 10s, 5m, 1h or 2d",
                f + ":12:5: targets.out.colour: unknown key 'colour'",
                f + ":15:15: routes[0].to[1]: unknown target 'archive' (defined: out)");
    }

    @Test
    void missingFile_isOneProblem() {
        assertThatThrownBy(() -> ConfigFile.load(DIR.resolve("nope.yaml")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage(at("nope.yaml") + ":0:0: file not found");
    }

    // ------------------------------------------------------------------ mqtt, sql, influxdb, http, csv targets

    private static final Map<String, String> SECRETS = Map.of("MQTT_PASSWORD", "mqtt-pw", "DB_PASSWORD", "db-pw",
            "INFLUX_TOKEN", "influx-token", "ONEC_PASSWORD", "1c-pw", "CRM_CLIENT_SECRET", "crm-secret");

    @Test
    void everyTargetType_compilesWithItsKeysAndSecretsFromTheEnvironment() {
        CompiledConfig config = ConfigFile.load(DIR.resolve("targets-all.yaml"), SECRETS::get);
        Map<String, TargetSettings> targets = config.plan().targets().stream()
                .collect(Collectors.toMap(TargetSettings::name, t -> t));

        MqttTargetSettings broker = (MqttTargetSettings) targets.get("broker");
        assertThat(broker.url()).isEqualTo("ssl://mqtt.local:8883");
        assertThat(broker.topic()).isEqualTo("meters/{pair}/{meter}/{quantity}");
        assertThat(broker.qos()).isEqualTo(2);
        assertThat(broker.retained()).isTrue();
        assertThat(broker.clientId()).isEqualTo("busbar-plant-1");
        assertThat(broker.sessionExpiry()).isEqualTo(Duration.ofHours(2));
        assertThat(broker.password()).contains("mqtt-pw");
        assertThat(broker.tls().caFile()).contains(DIR.toAbsolutePath().resolve("tls/ca.pem").normalize());
        assertThat(broker.timeout()).isEqualTo(Duration.ofSeconds(5));

        SqlTargetSettings historian = (SqlTargetSettings) targets.get("historian");
        assertThat(historian).isEqualTo(new SqlTargetSettings("historian", "jdbc:postgresql://db:5432/energy",
                Optional.of("busbar"), Optional.of("db-pw"), "historian.readings", true, SqlTargetSettings.DEFAULT_CONNECT_TIMEOUT));

        InfluxDbTargetSettings influx1 = (InfluxDbTargetSettings) targets.get("influx-1");
        assertThat(influx1.api()).isEqualTo(InfluxDbTargetSettings.Api.V1);
        assertThat(influx1.database()).contains("energy");
        assertThat(influx1.retentionPolicy()).contains("one_year");
        assertThat(influx1.measurement()).isEqualTo(InfluxDbTargetSettings.DEFAULT_MEASUREMENT);
        InfluxDbTargetSettings influx2 = (InfluxDbTargetSettings) targets.get("influx-2");
        assertThat(influx2.api()).isEqualTo(InfluxDbTargetSettings.Api.V2);
        assertThat(influx2.token()).contains("influx-token");
        assertThat(influx2.measurement()).isEqualTo("energy");

        HttpTargetSettings oneC = (HttpTargetSettings) targets.get("one-c");
        assertThat(oneC.body()).isEqualTo(HttpTargetSettings.Body.BATCH);
        assertThat(oneC.auth()).isEqualTo(new HttpTargetSettings.Basic("busbar", "1c-pw"));
        assertThat(oneC.timeout()).isEqualTo(Duration.ofSeconds(20));
        HttpTargetSettings crm = (HttpTargetSettings) targets.get("crm");
        assertThat(crm.body()).isEqualTo(HttpTargetSettings.Body.READING);
        assertThat(crm.headers()).containsExactly(Map.entry("X-Portal", "plant"));
        assertThat(crm.auth()).isEqualTo(new HttpTargetSettings.OAuth2(URI.create("https://crm.local/oauth/token"), "busbar",
                "crm-secret", Optional.of("readings.write")));
        assertThat(crm.signingSecret()).contains("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertThat(crm.rateLimit()).contains(2.0);

        CsvTargetSettings billing = (CsvTargetSettings) targets.get("billing");
        assertThat(billing.mode()).isEqualTo(CsvTargetSettings.Mode.EXPORT);
        assertThat(billing.dir()).isEqualTo(DIR.toAbsolutePath().resolve("out/billing").normalize());
        assertThat(billing.schedule()).hasValueSatisfying(s -> assertThat(s).hasToString("cron 0 0 1 * *"));
        assertThat(billing.grace()).isEqualTo(Duration.ofMinutes(1));
        assertThat(billing.timeZone()).isEqualTo(ZoneId.of("Europe/Minsk"));
        assertThat(billing.encoding()).isEqualTo(Charset.forName("windows-1251"));
        assertThat(billing.decimalMark()).isEqualTo(',');
        assertThat(billing.columns()).containsExactly(
                CsvTargetSettings.Column.field("ЛицевойСчет", "meter.account"),
                CsvTargetSettings.Column.field("ТарифнаяЗона", "quantity.tariff-zone"),
                CsvTargetSettings.Column.field("ДатаПоказания", "export-time"),
                CsvTargetSettings.Column.field("Показание", "value"),
                CsvTargetSettings.Column.text("Источник", "АСКУЭ"),
                CsvTargetSettings.Column.field("meter"));
        assertThat(billing.meters().get("Meter001")).containsEntry("account", "5087875888").containsEntry("serial", "033807");
        assertThat(billing.quantities().get("1-0:1.8.1")).containsEntry("tariff-zone", "T1");
        CsvTargetSettings journal = (CsvTargetSettings) targets.get("journal");
        assertThat(journal.mode()).isEqualTo(CsvTargetSettings.Mode.APPEND);
        assertThat(journal.rotate()).isEqualTo(CsvTargetSettings.Rotate.SIZE);
        assertThat(journal.maxSize()).isEqualTo(10L * 1024 * 1024);
        assertThat(journal.columns()).isEqualTo(CsvTargetSettings.DEFAULT_APPEND_COLUMNS);
        assertThat(journal.encoding()).isEqualTo(StandardCharsets.UTF_8);
    }

    @Test
    void compiledTargetSettings_neverShowASecret() {
        CompiledConfig config = ConfigFile.load(DIR.resolve("targets-all.yaml"), SECRETS::get);

        assertThat(config.plan().targets().toString())
                .doesNotContain("mqtt-pw", "db-pw", "influx-token", "1c-pw", "crm-secret", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    }

    @Test
    void targetSecretFromAnUnsetVariable_isReportedAtItsKey() {
        Map<String, String> withoutDb = new java.util.HashMap<>(SECRETS);
        withoutDb.remove("DB_PASSWORD");

        assertThatThrownBy(() -> ConfigFile.load(DIR.resolve("targets-all.yaml"), withoutDb::get))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage(at("targets-all.yaml") + ":25:5: targets.historian.password: environment variable DB_PASSWORD is not set");
    }

    @Test
    void targetMistakes_areEachReportedAtTheirKey() {
        String f = at("invalid-targets.yaml");
        assertThat(problemsOf("invalid-targets.yaml")).containsExactly(
                f + ":11:5: targets.broker.topic: must not contain the MQTT wildcards + or #",
                f + ":15:5: targets.broker-2.topic: has an unknown placeholder {device} (known: {pair}, {meter}, {quantity}, {unit})",
                f + ":17:7: targets.broker-2.tls.ca-file: file not found: " + DIR.toAbsolutePath().resolve("tls/missing.pem"),
                f + ":20:5: targets.historian.url: must be a jdbc:postgresql:// or jdbc:h2: URL",
                f + ":21:3: targets.influx: missing required key 'token'",
                f + ":32:7: targets.crm.auth.token: environment variable UNSET_TOKEN is not set",
                f + ":33:5: targets.crm.signing-secret: must be whsec_ followed by the base64 of at least 16 bytes"
                        + " (as the receiver shows it)",
                f + ":34:3: targets.billing: missing required key 'schedule'",
                f + ":38:5: targets.billing.date-format: must be a date-time pattern such as dd.MM.yyyy HH:mm:ss:"
                        + " Too many pattern letters: q",
                f + ":39:5: targets.billing.time-zone: must be a time zone such as Europe/Minsk or UTC",
                f + ":43:9: targets.billing.columns[1]: unknown field 'voltage' (known: account, accumulation, address,"
                        + " export-time, flags, groups, key, medium, meter, pair, quality, quantity, raw, serial, server,"
                        + " server-time, source-time, status, tariff, unit, validation, value, meter.<attribute>,"
                        + " quantity.<attribute>)",
                f + ":44:10: targets.billing.columns[2].header: '✓' cannot be written in windows-1251",
                f + ":48:5: targets.journal.schedule: schedule applies to mode: export only",
                f + ":50:5: targets.journal.file-name: needs {date} or {time:PATTERN} for daily rotation");
    }

    @Test
    void twoFileTargetsWritingTheSameFile_areReported_butNotAFileAndACsvTarget() {
        assertThat(problemsOf("invalid-file-same-path.yaml")).containsExactly(at("invalid-file-same-path.yaml")
                + ":16:5: targets.copy.path: target 'out' writes the same file");
    }

    @Test
    void twoCsvTargetsWritingTheSameFiles_areReported() {
        assertThat(problemsOf("invalid-csv-same-files.yaml")).containsExactly(at("invalid-csv-same-files.yaml")
                + ":13:5: targets.journal-copy.dir: target 'journal' writes the same files here: give one of them another dir"
                + " or file-name");
    }

    @Test
    void noDeploymentSection_isStandalone() {
        CompiledConfig config = ConfigFile.load(DIR.resolve("minimal.yaml"));

        assertThat(config.deployment().mode()).isEqualTo(DeploymentPlan.Mode.STANDALONE);
        assertThat(config.deployment().scope()).isEqualTo(ForwardingScope.standalone());
        assertThat(config.deployment().watermarkDir(config.bufferDataDir()))
                .isEqualTo(config.bufferDataDir().resolve("watermarks"));
    }

    @Test
    void coLocatedDeployment_forwardsOnlyBesideItsServer() {
        CompiledConfig config = ConfigFile.load(DIR.resolve("deployment-co-located.yaml"));

        assertThat(config.deployment().mode()).isEqualTo(DeploymentPlan.Mode.CO_LOCATED);
        assertThat(config.deployment().scope())
                .isEqualTo(ForwardingScope.beside(ServerRole.SECONDARY, Duration.ofSeconds(20)));
        assertThat(config.deployment().scope().forwards(ServerRole.PRIMARY)).isFalse();
        assertThat(config.deployment().scope().forwards(ServerRole.SECONDARY)).isTrue();
    }

    @Test
    void distributedDeployment_keepsWatermarksOnTheSharedDirectory() {
        CompiledConfig config = ConfigFile.load(DIR.resolve("deployment-distributed.yaml"),
                Map.of("BUSBAR_INSTANCE", "busbar-7")::get);

        DeploymentPlan deployment = config.deployment();
        assertThat(deployment.mode()).isEqualTo(DeploymentPlan.Mode.DISTRIBUTED);
        assertThat(deployment.instanceId()).isEqualTo("busbar-7");
        assertThat(deployment.lock()).isEqualTo(DeploymentPlan.Lock.FILE);
        assertThat(deployment.takeoverWithin()).isEqualTo(Duration.ofSeconds(10));
        assertThat(deployment.scope()).isEqualTo(ForwardingScope.leader(ForwardingScope.DEFAULT_TAKEOVER_OVERLAP));
        assertThat(deployment.watermarkDir(config.bufferDataDir()))
                .isEqualTo(DIR.toAbsolutePath().resolve("shared/watermarks").normalize());
    }

    @Test
    void coLocatedMistakes_areEachReportedAtTheirKey() {
        String f = at("invalid-deployment-co-located.yaml");
        assertThat(problemsOf("invalid-deployment-co-located.yaml")).containsExactly(
                f + ":2:3: sources.plant: co-located mode needs a secondary server in every pair: an instance runs beside"
                        + " each server of a pair",
                f + ":5:5: sources.plant.failback: failback does not apply in co-located mode: the two instances share"
                        + " no state, so both choose by what they see (healthy first, then the preferred primary) and"
                        + " return to the primary once it is healthy again; remove failback",
                f + ":15:1: deployment: co-located mode needs beside: primary or secondary (the server this instance runs"
                        + " beside)",
                f + ":17:3: deployment.shared-dir: shared-dir applies only to mode distributed, not co-located",
                f + ":18:3: deployment.lock: lock applies only to mode distributed, not co-located");
    }

    @Test
    void distributedMistakes_areEachReportedAtTheirKey() {
        String f = at("invalid-deployment-distributed.yaml");
        assertThat(problemsOf("invalid-deployment-distributed.yaml")).containsExactly(
                f + ":14:1: deployment: distributed mode needs shared-dir: a directory every instance mounts (the pairs'"
                        + " watermarks live there, so a new leader continues from them)",
                f + ":16:3: deployment.beside: beside applies only to mode co-located, not distributed",
                f + ":17:3: deployment.takeover-within: must be at least 5s (the lock heartbeat must be seen stale"
                        + " several times before another instance takes over)",
                f + ":18:3: deployment.instance-id: environment variable BUSBAR_UNSET_INSTANCE is not set",
                f + ":19:3: deployment.kubernetes: kubernetes settings need lock: kubernetes",
                f + ":21:5: deployment.kubernetes.lease-prefix: must be a lower-case kebab-case name");
    }

    @Test
    void unknownModeAndKeys_areSchemaProblems() {
        String f = at("invalid-deployment-mode.yaml");
        assertThat(problemsOf("invalid-deployment-mode.yaml")).containsExactly(
                f + ":15:3: deployment.mode: must be one of: standalone, co-located, distributed",
                f + ":16:3: deployment.takeover-overlap: integer found, string expected",
                f + ":17:3: deployment.colour: unknown key 'colour'");
    }
}
