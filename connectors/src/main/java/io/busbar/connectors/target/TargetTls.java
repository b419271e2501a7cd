package io.busbar.connectors.target;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.connectors.tls.TlsSettings;
import java.nio.file.Files;
import java.util.List;

/** The {@code tls:} block shared by target types that speak TLS (mqtt, http). */
public final class TargetTls {

    private static final List<String> FILES = List.of("ca-file", "key-store");

    private TargetTls() {
    }

    /** Reports files that do not exist and an unset key store password secret. */
    public static void check(TargetEntry entry, String pointer) {
        for (String key : FILES) {
            JsonNode file = entry.node().at(pointer + "/" + key);
            if (file.isTextual() && !Files.isRegularFile(entry.path(file.asText()))) {
                entry.problem(pointer + "/" + key, "file not found: " + entry.path(file.asText()));
            }
        }
        entry.secret(pointer + "/key-store-password");
    }

    /** The settings of a checked block; {@link TlsSettings#DEFAULT} when there is none. */
    public static TlsSettings settings(TargetEntry entry, String pointer) {
        if (!entry.node().at(pointer).isObject()) {
            return TlsSettings.DEFAULT;
        }
        return new TlsSettings(entry.text(pointer + "/ca-file").map(entry::path),
                entry.text(pointer + "/key-store").map(entry::path),
                entry.secret(pointer + "/key-store-password").orElse(null));
    }
}
