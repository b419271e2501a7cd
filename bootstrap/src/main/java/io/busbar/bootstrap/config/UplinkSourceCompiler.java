package io.busbar.bootstrap.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.bootstrap.config.schema.UplinkSourceConfig;
import io.busbar.connectors.target.TlsConfig;
import io.busbar.connectors.tls.TlsSettings;
import io.busbar.mappings.Mapping;
import io.busbar.mappings.model.Register;
import io.busbar.mappings.model.UplinkAddress;
import io.busbar.mappings.yaml.LocatedDocument;
import io.busbar.mappings.yaml.Problem;
import io.busbar.routes.uplink.UplinkSourcePlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    /** The plan of an entry that passed the schema and the checks, from its bound record. */
    UplinkSourcePlan compile(String name, JsonNode uplink, Mapping mapping, List<String> targets) {
        UplinkSourceConfig config = ConfigBinding.bind(uplink, UplinkSourceConfig.class);
        UplinkSourcePlan.Format format = config.formatOf();
        List<String> topics = config.topics().isEmpty() ? List.of(UplinkSourcePlan.defaultTopic(format)) : config.topics();
        return new UplinkSourcePlan(name, config.url(),
                Optional.ofNullable(config.clientId()).orElse(UplinkSourcePlan.defaultClientId(name)),
                Optional.ofNullable(config.username()), secret(config.password()), tls(config.tls()), topics, format,
                config.timeSource(), config.deviceTime(), config.sessionExpiry(),
                Optional.ofNullable(config.expectedInterval()), mapping, targets);
    }

    private TlsSettings tls(TlsConfig tls) {
        if (tls == null) {
            return TlsSettings.DEFAULT;
        }
        return new TlsSettings(Optional.ofNullable(tls.caFile()).map(f -> baseDir.resolve(f).normalize()),
                Optional.ofNullable(tls.keyStore()).map(f -> baseDir.resolve(f).normalize()),
                secret(tls.keyStorePassword()).orElse(null));
    }

    private Optional<String> secret(String written) {
        return written == null ? Optional.empty() : Optional.ofNullable(secrets.resolve(written, null));
    }
}
