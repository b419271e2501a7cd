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
        HttpTargetConfig config = entry.config(HttpTargetConfig.class);
        Map<String, String> headers = new LinkedHashMap<>();
        if (config.headers() != null) {
            config.headers().keySet().forEach(key -> headers.put(key,
                    entry.secret("/headers" + LocatedDocument.pointerSegment(key)).orElseThrow()));
        }
        return new HttpTargetSettings(entry.name(), URI.create(config.url()),
                Optional.ofNullable(config.body()).map(HttpTargetSettings.Body::fromConfig)
                        .orElse(HttpTargetSettings.DEFAULT_BODY),
                headers, auth(config.auth(), entry), entry.secret("/signing-secret"),
                Optional.ofNullable(config.rateLimit()), config.timeout(), TargetTls.settings(entry, "/tls"));
    }

    /** The secrets are resolved where they are written, so an unset variable is reported there. */
    private static HttpTargetSettings.Auth auth(HttpTargetConfig.Auth auth, TargetEntry entry) {
        if (auth instanceof HttpTargetConfig.Basic basic) {
            return new HttpTargetSettings.Basic(basic.username(), entry.secret("/auth/password").orElseThrow());
        }
        if (auth instanceof HttpTargetConfig.Bearer) {
            return new HttpTargetSettings.Bearer(entry.secret("/auth/token").orElseThrow());
        }
        if (auth instanceof HttpTargetConfig.OAuth2 oauth2) {
            return new HttpTargetSettings.OAuth2(URI.create(oauth2.tokenUrl()), oauth2.clientId(),
                    entry.secret("/auth/client-secret").orElseThrow(), Optional.ofNullable(oauth2.scope()));
        }
        return new HttpTargetSettings.NoAuth();
    }

    @Override
    public HttpTarget create(HttpTargetSettings settings) {
        return new HttpTarget(settings);
    }
}
