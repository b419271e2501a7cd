package io.busbar.connectors.target.http;

import io.busbar.connectors.target.TargetSettings;
import io.busbar.connectors.tls.TlsSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP target: JSON POSTs to a web service (a 1C HTTP service, a CRM webhook, any REST endpoint).
 *
 * @param name          target name
 * @param url           the endpoint, {@code http://} or {@code https://}
 * @param body          {@link Body#READING}: one reading per request (default); {@link Body#BATCH}: the
 *                      whole batch as one JSON array
 * @param headers       extra request headers (e.g. an API key); values may be secrets
 * @param auth          how to authenticate: none, basic, bearer or OAuth2 client credentials
 * @param signingSecret Standard Webhooks secret ({@code whsec_<base64>}); when set every request is signed
 * @param rateLimit     requests per second at most (e.g. 2 for a Bitrix24 portal); empty: unlimited
 * @param timeout       connect and response timeout; default {@link #DEFAULT_TIMEOUT}
 * @param tls           trust for {@code https://} (a CA file for a self-signed 1C server) and client certificate
 */
public record HttpTargetSettings(
        String name,
        URI url,
        Body body,
        Map<String, String> headers,
        Auth auth,
        Optional<String> signingSecret,
        Optional<Double> rateLimit,
        Duration timeout,
        TlsSettings tls) implements TargetSettings {

    public static final String TYPE = "http";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final Body DEFAULT_BODY = Body.READING;
    public static final String SIGNING_SECRET_PREFIX = "whsec_";

    /** What one request carries. */
    public enum Body {
        READING, BATCH;

        public static Body fromConfig(String text) {
            return valueOf(text.toUpperCase(Locale.ROOT));
        }
    }

    /** Authentication of the requests. {@code toString} never shows a secret. */
    public sealed interface Auth {
    }

    public record NoAuth() implements Auth {
    }

    public record Basic(String username, String password) implements Auth {
        @Override
        public String toString() {
            return "Basic[username=" + username + ", password=***]";
        }
    }

    public record Bearer(String token) implements Auth {
        @Override
        public String toString() {
            return "Bearer[token=***]";
        }
    }

    /**
     * OAuth 2.0 client credentials grant (RFC 6749 §4.4); the client authenticates to the token
     * endpoint with HTTP basic authentication.
     */
    public record OAuth2(URI tokenUrl, String clientId, String clientSecret, Optional<String> scope) implements Auth {
        @Override
        public String toString() {
            return "OAuth2[tokenUrl=" + tokenUrl + ", clientId=" + clientId + ", clientSecret=***, scope=" + scope.orElse("none") + "]";
        }
    }

    public HttpTargetSettings {
        headers = Map.copyOf(headers);
        signingSecret.ifPresent(HttpTargetSettings::signingKey);
        rateLimit.ifPresent(rate -> {
            if (!(rate > 0)) {
                throw new IllegalArgumentException("rate limit must be positive: " + rate);
            }
        });
    }

    public static HttpTargetSettings of(String name, URI url) {
        return new HttpTargetSettings(name, url, DEFAULT_BODY, Map.of(), new NoAuth(), Optional.empty(), Optional.empty(),
                DEFAULT_TIMEOUT, TlsSettings.DEFAULT);
    }

    public HttpTargetSettings withBody(Body value) {
        return new HttpTargetSettings(name, url, value, headers, auth, signingSecret, rateLimit, timeout, tls);
    }

    public HttpTargetSettings withHeaders(Map<String, String> value) {
        return new HttpTargetSettings(name, url, body, value, auth, signingSecret, rateLimit, timeout, tls);
    }

    public HttpTargetSettings withAuth(Auth value) {
        return new HttpTargetSettings(name, url, body, headers, value, signingSecret, rateLimit, timeout, tls);
    }

    public HttpTargetSettings withSigningSecret(String value) {
        return new HttpTargetSettings(name, url, body, headers, auth, Optional.of(value), rateLimit, timeout, tls);
    }

    public HttpTargetSettings withRateLimit(double perSecond) {
        return new HttpTargetSettings(name, url, body, headers, auth, signingSecret, Optional.of(perSecond), timeout, tls);
    }

    public HttpTargetSettings withTimeout(Duration value) {
        return new HttpTargetSettings(name, url, body, headers, auth, signingSecret, rateLimit, value, tls);
    }

    public HttpTargetSettings withTls(TlsSettings value) {
        return new HttpTargetSettings(name, url, body, headers, auth, signingSecret, rateLimit, timeout, value);
    }

    /**
     * The HMAC key of a Standard Webhooks secret: the base64 text after {@code whsec_}.
     *
     * @throws IllegalArgumentException when the secret does not have that form
     */
    public static byte[] signingKey(String secret) {
        if (secret == null || !secret.startsWith(SIGNING_SECRET_PREFIX)) {
            throw new IllegalArgumentException("a signing secret starts with " + SIGNING_SECRET_PREFIX);
        }
        byte[] key;
        try {
            key = java.util.Base64.getDecoder().decode(secret.substring(SIGNING_SECRET_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a signing secret is " + SIGNING_SECRET_PREFIX + " followed by base64");
        }
        if (key.length < 16) {
            throw new IllegalArgumentException("a signing secret needs at least 16 bytes (24 base64 characters) after "
                    + SIGNING_SECRET_PREFIX);
        }
        return key;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String toString() {
        return "HttpTargetSettings[name=" + name + ", url=" + url + ", body=" + body + ", headers=" + headers.keySet()
                + ", auth=" + auth + ", signingSecret=" + (signingSecret.isPresent() ? "***" : "none")
                + ", rateLimit=" + rateLimit.map(r -> r + "/s").orElse("none") + ", timeout=" + timeout + ", tls=" + tls + "]";
    }
}
