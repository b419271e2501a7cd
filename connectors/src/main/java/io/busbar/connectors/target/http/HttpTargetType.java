package io.busbar.connectors.target.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.connectors.target.TargetEntry;
import io.busbar.connectors.target.TargetTls;
import io.busbar.connectors.target.TargetType;
import io.busbar.mappings.yaml.LocatedDocument;
import java.net.URI;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@code type: http}: readings POSTed as JSON to a web service (1C, CRM webhooks, REST). */
public final class HttpTargetType extends TargetType<HttpTargetSettings> {

    public HttpTargetType() {
        super(HttpTargetSettings.TYPE, HttpTargetSettings.class, HttpTargetConfig.class);
    }

    @Override
    public void check(TargetEntry entry) {
        JsonNode target = entry.node();
        for (Iterator<Map.Entry<String, JsonNode>> it = target.path("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> header = it.next();
            String pointer = "/headers" + LocatedDocument.pointerSegment(header.getKey());
            if (header.getValue().isTextual()) {
                entry.secret(pointer);
            }
            if (header.getKey().equalsIgnoreCase("Authorization") && target.has("auth")) {
                entry.problem(pointer, "Authorization is set by auth; remove one of them");
            }
        }
        entry.secret("/auth/password");
        entry.secret("/auth/token");
        entry.secret("/auth/client-secret");
        if (target.path("signing-secret").isTextual()) {
            entry.secret("/signing-secret").ifPresent(secret -> {
                try {
                    HttpTargetSettings.signingKey(secret);
                } catch (IllegalArgumentException e) {
                    entry.problem("/signing-secret",
                            "must be whsec_ followed by the base64 of at least 16 bytes (as the receiver shows it)");
                }
            });
        }
        TargetTls.check(entry, "/tls");
    }

    @Override
    public HttpTargetSettings settings(TargetEntry entry) {
        JsonNode t = entry.node();
        Map<String, String> headers = new LinkedHashMap<>();
        t.path("headers").fieldNames().forEachRemaining(key -> headers.put(key,
                entry.secret("/headers" + LocatedDocument.pointerSegment(key)).orElseThrow()));
        return new HttpTargetSettings(entry.name(), URI.create(t.get("url").asText()),
                entry.text("/body").map(HttpTargetSettings.Body::fromConfig).orElse(HttpTargetSettings.DEFAULT_BODY),
                headers, auth(entry), entry.secret("/signing-secret"),
                t.has("rate-limit") ? Optional.of(t.get("rate-limit").asDouble()) : Optional.empty(),
                entry.duration("/timeout", HttpTargetSettings.DEFAULT_TIMEOUT), TargetTls.settings(entry, "/tls"));
    }

    private static HttpTargetSettings.Auth auth(TargetEntry entry) {
        return switch (entry.text("/auth/type", "")) {
            case "basic" -> new HttpTargetSettings.Basic(entry.text("/auth/username").orElseThrow(),
                    entry.secret("/auth/password").orElseThrow());
            case "bearer" -> new HttpTargetSettings.Bearer(entry.secret("/auth/token").orElseThrow());
            case "oauth2" -> new HttpTargetSettings.OAuth2(URI.create(entry.text("/auth/token-url").orElseThrow()),
                    entry.text("/auth/client-id").orElseThrow(), entry.secret("/auth/client-secret").orElseThrow(),
                    entry.text("/auth/scope"));
            default -> new HttpTargetSettings.NoAuth();
        };
    }

    @Override
    public HttpTarget create(HttpTargetSettings settings) {
        return new HttpTarget(settings);
    }
}
