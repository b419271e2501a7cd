package io.busbar.bootstrap.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.connectors.tls.TlsSettings;
import io.busbar.connectors.uplink.UplinkParser.TimeSource;
import io.busbar.mappings.Mapping;
import io.busbar.mappings.model.Register;
import io.busbar.mappings.model.UplinkAddress;
import io.busbar.mappings.yaml.LocatedDocument;
import io.busbar.mappings.yaml.Problem;
import io.busbar.routes.uplink.UplinkSourcePlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Compiles one {@code uplinks.<name>} entry (already schema-checked) into an {@link UplinkSourcePlan}.
 * Checks what the schema cannot: {@code ${ENV}} secrets, TLS files, {@code tls} only with
 * {@code ssl://}, and that the mapping addresses only {@code uplink:} registers.
 */
final class UplinkSourceCompiler {

    private final LocatedDocument document;
    private final Path baseDir;
    private final Secrets secrets;
    private final List<Problem> problems;

    UplinkSourceCompiler(LocatedDocument document, Path baseDir, Secrets secrets, List<Problem> problems) {
        this.document = document;
        this.baseDir = baseDir;
        this.secrets = secrets;
        this.problems = problems;
    }

    /** Reports problems of an entry that the schema cannot see; safe on any shape. */
    void check(String name, JsonNode uplink) {
        String at = "/uplinks/" + name;
        if (uplink.path("password").isTextual()) {
            secrets.resolve(uplink.get("password").asText(), at + "/password");
        }
        JsonNode tls = uplink.path("tls");
        if (tls.isObject()) {
            if (uplink.path("url").isTextual() && !uplink.get("url").asText().startsWith("ssl://")) {
                problems.add(document.problemAt(at + "/tls", "applies only to an ssl:// broker URL"));
            }
            for (String key : List.of("ca-file", "key-store")) {
                JsonNode file = tls.path(key);
                if (file.isTextual() && !Files.isRegularFile(baseDir.resolve(file.asText()))) {
                    problems.add(document.problemAt(at + "/tls/" + key,
                            "file not found: " + baseDir.resolve(file.asText()).normalize()));
                }
            }
            if (tls.path("key-store-password").isTextual()) {
                secrets.resolve(tls.get("key-store-password").asText(), at + "/tls/key-store-password");
            }
        }
        if (uplink.path("expected-interval").isTextual() && uplink.get("expected-interval").asText().matches("0+[a-z]+")) {
            problems.add(document.problemAt(at + "/expected-interval", "must be longer than 0"));
        }
        if (uplink.has("device-time") && !"device".equals(uplink.path("time").asText())) {
            problems.add(document.problemAt(at + "/device-time", "applies only with time: device"));
        }
    }

    /** An uplink source reads only {@code uplink:<EUI><pointer>} registers. */
    void checkMapping(String name, Mapping mapping) {
        for (Register register : mapping.registers()) {
            if (!UplinkAddress.isUplink(register.nodeId())) {
                problems.add(document.problemAt("/mappings/" + name, "uplink source '" + name + "' reads only uplink"
                        + " registers (" + UplinkAddress.EXPECTED + "), but its mapping has '" + register.nodeId()
                        + "' (meter " + register.meter() + ")"));
                return;
            }
        }
    }

    UplinkSourcePlan compile(String name, JsonNode uplink, Mapping mapping, List<String> targets) {
        UplinkSourcePlan.Format format = UplinkSourcePlan.Format.valueOf(uplink.get("format").asText()
                .toUpperCase(Locale.ROOT));
        List<String> topics = new ArrayList<>();
        uplink.path("topics").forEach(topic -> topics.add(topic.asText()));
        if (topics.isEmpty()) {
            topics.add(UplinkSourcePlan.defaultTopic(format));
        }
        TimeSource time = "device".equals(uplink.path("time").asText()) ? TimeSource.DEVICE : TimeSource.GATEWAY;
        return new UplinkSourcePlan(name, uplink.get("url").asText(),
                text(uplink, "client-id").orElse(UplinkSourcePlan.defaultClientId(name)),
                text(uplink, "username"), secret(uplink, "password"), tls(uplink.path("tls")), topics, format, time,
                text(uplink, "device-time").orElse(UplinkSourcePlan.DEFAULT_DEVICE_TIME_POINTER),
                uplink.path("session-expiry").isTextual() ? Durations.parse(uplink.get("session-expiry").asText())
                        : UplinkSourcePlan.DEFAULT_SESSION_EXPIRY,
                text(uplink, "expected-interval").map(Durations::parse), mapping, targets);
    }

    private TlsSettings tls(JsonNode tls) {
        if (!tls.isObject()) {
            return TlsSettings.DEFAULT;
        }
        return new TlsSettings(text(tls, "ca-file").map(f -> baseDir.resolve(f).normalize()),
                text(tls, "key-store").map(f -> baseDir.resolve(f).normalize()),
                secret(tls, "key-store-password").orElse(null));
    }

    private Optional<String> secret(JsonNode parent, String key) {
        return parent.path(key).isTextual() ? Optional.ofNullable(secrets.resolve(parent.get(key).asText(), null))
                : Optional.empty();
    }

    private static Optional<String> text(JsonNode parent, String key) {
        return parent.path(key).isTextual() ? Optional.of(parent.get(key).asText()) : Optional.empty();
    }
}
