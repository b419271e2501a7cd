package io.busbar.bootstrap.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.connectors.csv.CsvTargetSettings;
import io.busbar.connectors.csv.ExportSchedule;
import io.busbar.connectors.csv.FileNameTemplate;
import io.busbar.connectors.http.HttpTargetSettings;
import io.busbar.connectors.influxdb.InfluxDbTargetSettings;
import io.busbar.connectors.kafka.KafkaTargetSettings;
import io.busbar.connectors.mqtt.MqttTargetSettings;
import io.busbar.connectors.mqtt.TopicTemplate;
import io.busbar.connectors.sql.SqlTargetSettings;
import io.busbar.connectors.target.TargetSettings;
import io.busbar.connectors.tls.TlsSettings;
import io.busbar.mappings.yaml.LocatedDocument;
import io.busbar.mappings.yaml.Problem;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The mqtt, sql, influxdb, http and csv entries of {@code targets}: checks what the schema cannot
 * (secrets from the environment, files that must exist, templates, patterns, time zones, what the
 * chosen encoding can hold) and compiles a schema-checked entry into its settings record.
 */
final class TargetCompiler {

    private final LocatedDocument document;
    private final Path baseDir;
    private final Secrets secrets;
    private final List<Problem> problems;

    TargetCompiler(LocatedDocument document, Path baseDir, Secrets secrets, List<Problem> problems) {
        this.document = document;
        this.baseDir = baseDir;
        this.secrets = secrets;
        this.problems = problems;
    }

    // ------------------------------------------------------------------ checks

    /** Reports problems of one target entry that the schema cannot see; safe on any shape. */
    void check(String name, JsonNode target) {
        String at = "/targets/" + name;
        switch (target.path("type").asText()) {
            case MqttTargetSettings.TYPE -> {
                checkSecret(target, "password", at);
                checkTls(target.path("tls"), at + "/tls");
                JsonNode topic = target.path("topic");
                if (topic.isTextual()) {
                    TopicTemplate.problem(topic.asText()).ifPresent(p -> problems.add(document.problemAt(at + "/topic", p)));
                }
            }
            case KafkaTargetSettings.TYPE -> checkKafka(target, at);
            case SqlTargetSettings.TYPE -> checkSecret(target, "password", at);
            case InfluxDbTargetSettings.TYPE -> {
                checkSecret(target, "password", at);
                checkSecret(target, "token", at);
            }
            case HttpTargetSettings.TYPE -> checkHttp(target, at);
            case CsvTargetSettings.TYPE -> checkCsv(target, at);
            default -> {
                // file is checked by ConfigFile; unknown types by the schema
            }
        }
    }

    private void checkKafka(JsonNode target, String at) {
        JsonNode topic = target.path("topic");
        if (topic.isTextual()) {
            KafkaTargetSettings.topicProblem(topic.asText()).ifPresent(p -> problems.add(document.problemAt(at + "/topic", p)));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = target.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            String pointer = at + "/properties" + LocatedDocument.pointerSegment(property.getKey());
            if (KafkaTargetSettings.RESERVED.contains(property.getKey())) {
                problems.add(document.problemAt(pointer, property.getKey() + " is set by Busbar (acks=all, idempotent"
                        + " producer, brokers from brokers:); remove it"));
            } else if (property.getValue().isTextual()) {
                secrets.resolve(property.getValue().asText(), pointer);
            }
        }
    }

    /** The settings of a kafka target; property values given as ${VAR} are read from the environment. */
    KafkaTargetSettings kafka(String name, JsonNode t) {
        Map<String, String> properties = new java.util.LinkedHashMap<>();
        t.path("properties").fields().forEachRemaining(p -> properties.put(p.getKey(),
                p.getValue().isTextual() ? secrets.resolve(p.getValue().asText(), null) : p.getValue().asText()));
        return new KafkaTargetSettings(name, t.get("brokers").asText(), t.get("topic").asText(), properties);
    }

    private void checkHttp(JsonNode target, String at) {
        for (Iterator<Map.Entry<String, JsonNode>> it = target.path("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> header = it.next();
            String pointer = at + "/headers" + LocatedDocument.pointerSegment(header.getKey());
            if (header.getValue().isTextual()) {
                secrets.resolve(header.getValue().asText(), pointer);
            }
            if (header.getKey().equalsIgnoreCase("Authorization") && target.has("auth")) {
                problems.add(document.problemAt(pointer, "Authorization is set by auth; remove one of them"));
            }
        }
        JsonNode auth = target.path("auth");
        checkSecret(auth, "password", at + "/auth");
        checkSecret(auth, "token", at + "/auth");
        checkSecret(auth, "client-secret", at + "/auth");
        JsonNode signing = target.path("signing-secret");
        if (signing.isTextual()) {
            String secret = secrets.resolve(signing.asText(), at + "/signing-secret");
            if (secret != null) {
                try {
                    HttpTargetSettings.signingKey(secret);
                } catch (IllegalArgumentException e) {
                    problems.add(document.problemAt(at + "/signing-secret",
                            "must be whsec_ followed by the base64 of at least 16 bytes (as the receiver shows it)"));
                }
            }
        }
        checkTls(target.path("tls"), at + "/tls");
    }

    private void checkCsv(JsonNode target, String at) {
        CsvTargetSettings.Mode mode = target.path("mode").asText("append").equals("export")
                ? CsvTargetSettings.Mode.EXPORT : CsvTargetSettings.Mode.APPEND;
        CsvTargetSettings.Rotate rotate = target.path("rotate").asText("daily").equals("size")
                ? CsvTargetSettings.Rotate.SIZE : CsvTargetSettings.Rotate.DAILY;
        if (mode == CsvTargetSettings.Mode.APPEND) {
            for (String key : List.of("schedule", "grace")) {
                if (target.has(key)) {
                    problems.add(document.problemAt(at + "/" + key, key + " applies to mode: export only"));
                }
            }
            if (target.has("max-size") && rotate != CsvTargetSettings.Rotate.SIZE) {
                problems.add(document.problemAt(at + "/max-size", "max-size applies to rotate: size only"));
            }
        } else {
            for (String key : List.of("rotate", "max-size")) {
                if (target.has(key)) {
                    problems.add(document.problemAt(at + "/" + key, key + " applies to mode: append only"));
                }
            }
        }
        JsonNode fileName = target.path("file-name");
        if (fileName.isTextual()) {
            FileNameTemplate.problem(fileName.asText(), mode, rotate)
                    .ifPresent(p -> problems.add(document.problemAt(at + "/file-name", p)));
        }
        JsonNode dateFormat = target.path("date-format");
        if (dateFormat.isTextual()) {
            CsvTargetSettings.dateFormatProblem(dateFormat.asText())
                    .ifPresent(p -> problems.add(document.problemAt(at + "/date-format", p)));
        }
        JsonNode zone = target.path("time-zone");
        if (zone.isTextual()) {
            try {
                ZoneId.of(zone.asText());
            } catch (DateTimeException e) {
                problems.add(document.problemAt(at + "/time-zone", "must be a time zone such as Europe/Minsk or UTC"));
            }
        }
        JsonNode cron = target.path("schedule").path("cron");
        if (cron.isTextual()) {
            ExportSchedule.cronProblem(cron.asText()).ifPresent(p -> problems.add(document.problemAt(at + "/schedule/cron", p)));
        }
        if (target.path("separator").isTextual() && target.path("separator").asText()
                .equals(target.path("decimal-mark").asText(String.valueOf(CsvTargetSettings.DEFAULT_DECIMAL_MARK)))) {
            problems.add(document.problemAt(at + "/separator", "must differ from the decimal mark"));
        }
        JsonNode columns = target.path("columns");
        Charset charset = target.path("encoding").isTextual() && target.get("encoding").asText().equals("windows-1251")
                ? Charset.forName("windows-1251") : null;
        for (int i = 0; i < columns.size(); i++) {
            JsonNode column = columns.get(i);
            String pointer = at + "/columns/" + i;
            JsonNode field = column.isTextual() ? column : column.path("field");
            if (field.isTextual()) {
                String fieldPointer = column.isTextual() ? pointer : pointer + "/field";
                CsvTargetSettings.fieldProblem(field.asText()).ifPresent(p -> problems.add(document.problemAt(fieldPointer, p)));
                if (mode == CsvTargetSettings.Mode.APPEND && field.asText().equals("export-time")) {
                    problems.add(document.problemAt(fieldPointer, "export-time exists only in mode: export"));
                }
            }
            checkEncodable(column.path("header"), charset, pointer + "/header");
            checkEncodable(column.path("text"), charset, pointer + "/text");
            checkEncodable(column.isTextual() ? column : null, charset, pointer);
        }
        for (String section : List.of("meters", "quantities")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = target.path(section).fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                for (Iterator<Map.Entry<String, JsonNode>> attrs = entry.getValue().fields(); attrs.hasNext(); ) {
                    Map.Entry<String, JsonNode> attr = attrs.next();
                    checkEncodable(attr.getValue(), charset, at + "/" + section + LocatedDocument.pointerSegment(entry.getKey())
                            + LocatedDocument.pointerSegment(attr.getKey()));
                }
            }
        }
    }

    private void checkEncodable(JsonNode text, Charset charset, String pointer) {
        if (charset != null && text != null && text.isTextual()) {
            CsvTargetSettings.unencodable(text.asText(), charset).ifPresent(c -> problems.add(document.problemAt(pointer,
                    "'" + c + "' cannot be written in " + charset.name())));
        }
    }

    private void checkSecret(JsonNode parent, String key, String at) {
        JsonNode value = parent.path(key);
        if (value.isTextual()) {
            secrets.resolve(value.asText(), at + "/" + key);
        }
    }

    private void checkTls(JsonNode tls, String at) {
        for (String key : List.of("ca-file", "key-store")) {
            JsonNode file = tls.path(key);
            if (file.isTextual() && !Files.isRegularFile(baseDir.resolve(file.asText()))) {
                problems.add(document.problemAt(at + "/" + key, "file not found: " + baseDir.resolve(file.asText()).normalize()));
            }
        }
        checkSecret(tls, "key-store-password", at);
    }

    // ------------------------------------------------------------------ compile

    /** The settings of a schema-checked entry of a type this class knows; empty for file and kafka. */
    Optional<TargetSettings> compile(String name, JsonNode t) {
        return Optional.ofNullable(switch (t.get("type").asText()) {
            case MqttTargetSettings.TYPE -> new MqttTargetSettings(name, t.get("url").asText(),
                    t.path("topic").asText(MqttTargetSettings.DEFAULT_TOPIC),
                    t.path("qos").asInt(MqttTargetSettings.DEFAULT_QOS),
                    t.path("retained").asBoolean(false),
                    t.path("client-id").asText(MqttTargetSettings.defaultClientId(name)),
                    duration(t, "session-expiry", MqttTargetSettings.DEFAULT_SESSION_EXPIRY),
                    text(t, "username"), secret(t, "password"), tls(t.path("tls")),
                    duration(t, "timeout", MqttTargetSettings.DEFAULT_TIMEOUT));
            case SqlTargetSettings.TYPE -> new SqlTargetSettings(name, t.get("url").asText(), text(t, "username"),
                    secret(t, "password"), t.path("table").asText(SqlTargetSettings.DEFAULT_TABLE),
                    t.path("create-table").asBoolean(false),
                    duration(t, "connect-timeout", SqlTargetSettings.DEFAULT_CONNECT_TIMEOUT));
            case InfluxDbTargetSettings.TYPE -> new InfluxDbTargetSettings(name, t.get("url").asText(),
                    InfluxDbTargetSettings.Api.fromConfig(t.path("api").asText("v1")),
                    text(t, "database"), text(t, "retention-policy"), text(t, "username"), secret(t, "password"),
                    text(t, "org"), text(t, "bucket"), secret(t, "token"),
                    t.path("measurement").asText(InfluxDbTargetSettings.DEFAULT_MEASUREMENT),
                    duration(t, "timeout", InfluxDbTargetSettings.DEFAULT_TIMEOUT));
            case HttpTargetSettings.TYPE -> http(name, t);
            case CsvTargetSettings.TYPE -> csv(name, t);
            default -> null;
        });
    }

    private HttpTargetSettings http(String name, JsonNode t) {
        Map<String, String> headers = new LinkedHashMap<>();
        t.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), secrets.resolve(h.getValue().asText(), null)));
        JsonNode auth = t.path("auth");
        HttpTargetSettings.Auth compiled = switch (auth.path("type").asText("")) {
            case "basic" -> new HttpTargetSettings.Basic(auth.get("username").asText(), secret(auth, "password").orElseThrow());
            case "bearer" -> new HttpTargetSettings.Bearer(secret(auth, "token").orElseThrow());
            case "oauth2" -> new HttpTargetSettings.OAuth2(URI.create(auth.get("token-url").asText()),
                    auth.get("client-id").asText(), secret(auth, "client-secret").orElseThrow(), text(auth, "scope"));
            default -> new HttpTargetSettings.NoAuth();
        };
        return new HttpTargetSettings(name, URI.create(t.get("url").asText()),
                t.path("body").asText("reading").equals("batch") ? HttpTargetSettings.Body.BATCH : HttpTargetSettings.Body.READING,
                headers, compiled, secret(t, "signing-secret"),
                t.has("rate-limit") ? Optional.of(t.get("rate-limit").asDouble()) : Optional.empty(),
                duration(t, "timeout", HttpTargetSettings.DEFAULT_TIMEOUT), tls(t.path("tls")));
    }

    private CsvTargetSettings csv(String name, JsonNode t) {
        CsvTargetSettings.Mode mode = CsvTargetSettings.Mode.fromConfig(t.path("mode").asText("append"));
        boolean export = mode == CsvTargetSettings.Mode.EXPORT;
        List<CsvTargetSettings.Column> columns = new ArrayList<>();
        for (JsonNode column : t.path("columns")) {
            if (column.isTextual()) {
                columns.add(CsvTargetSettings.Column.field(column.asText()));
            } else if (column.has("field")) {
                columns.add(CsvTargetSettings.Column.field(column.get("header").asText(), column.get("field").asText()));
            } else {
                columns.add(CsvTargetSettings.Column.text(column.get("header").asText(), column.get("text").asText()));
            }
        }
        if (columns.isEmpty()) {
            columns = export ? CsvTargetSettings.DEFAULT_EXPORT_COLUMNS : CsvTargetSettings.DEFAULT_APPEND_COLUMNS;
        }
        JsonNode schedule = t.path("schedule");
        Optional<ExportSchedule> compiledSchedule = !export ? Optional.empty()
                : Optional.of(schedule.has("cron") ? ExportSchedule.cron(schedule.get("cron").asText())
                        : ExportSchedule.every(Durations.parse(schedule.get("every").asText())));
        return new CsvTargetSettings(name, mode, baseDir.resolve(t.get("dir").asText()).normalize(),
                t.path("file-name").asText(export ? CsvTargetSettings.DEFAULT_EXPORT_FILE_NAME : CsvTargetSettings.DEFAULT_APPEND_FILE_NAME),
                columns, t.path("header").asBoolean(true),
                t.path("separator").asText(String.valueOf(CsvTargetSettings.DEFAULT_SEPARATOR)).charAt(0),
                t.path("decimal-mark").asText(String.valueOf(CsvTargetSettings.DEFAULT_DECIMAL_MARK)).charAt(0),
                t.path("date-format").asText(CsvTargetSettings.DEFAULT_DATE_FORMAT),
                t.has("time-zone") ? ZoneId.of(t.get("time-zone").asText()) : ZoneOffset.UTC,
                CsvTargetSettings.encodingOf(t.path("encoding").asText("UTF-8")),
                CsvTargetSettings.Rotate.fromConfig(t.path("rotate").asText("daily")),
                t.has("max-size") ? Sizes.parse(t.get("max-size").asText()) : CsvTargetSettings.DEFAULT_MAX_SIZE,
                compiledSchedule, duration(t, "grace", CsvTargetSettings.DEFAULT_GRACE),
                attributes(t.path("meters")), attributes(t.path("quantities")));
    }

    private static Map<String, Map<String, String>> attributes(JsonNode section) {
        Map<String, Map<String, String>> result = new LinkedHashMap<>();
        section.fields().forEachRemaining(entry -> {
            Map<String, String> attrs = new LinkedHashMap<>();
            entry.getValue().fields().forEachRemaining(a -> attrs.put(a.getKey(), a.getValue().asText()));
            result.put(entry.getKey(), attrs);
        });
        return result;
    }

    private TlsSettings tls(JsonNode tls) {
        if (!tls.isObject()) {
            return TlsSettings.DEFAULT;
        }
        return new TlsSettings(text(tls, "ca-file").map(f -> baseDir.resolve(f).normalize()),
                text(tls, "key-store").map(f -> baseDir.resolve(f).normalize()), secret(tls, "key-store-password").orElse(null));
    }

    private Optional<String> secret(JsonNode parent, String key) {
        return parent.path(key).isTextual() ? Optional.ofNullable(secrets.resolve(parent.get(key).asText(), null)) : Optional.empty();
    }

    private static Optional<String> text(JsonNode parent, String key) {
        return parent.path(key).isValueNode() && !parent.path(key).isNull() ? Optional.of(parent.get(key).asText()) : Optional.empty();
    }

    private static Duration duration(JsonNode parent, String key, Duration fallback) {
        JsonNode value = parent.path(key);
        return value.isTextual() ? Durations.parse(value.asText()) : fallback;
    }
}
