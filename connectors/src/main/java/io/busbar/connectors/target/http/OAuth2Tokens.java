package io.busbar.connectors.target.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Access tokens from an OAuth 2.0 token endpoint by the client credentials grant, cached until
 * shortly before they expire ({@code expires_in}) or until the resource server refuses one (401).
 */
final class OAuth2Tokens {

    /** A token is renewed this long before it expires, so it does not expire on the way. */
    static final Duration EXPIRY_MARGIN = Duration.ofSeconds(30);
    /** Lifetime assumed when the token endpoint does not say ({@code expires_in} is optional). */
    static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpTargetSettings.OAuth2 grant;
    private final HttpClient http;
    private final Duration timeout;
    private final Clock clock;
    private String token;
    private Instant renewAt = Instant.MIN;

    OAuth2Tokens(HttpTargetSettings.OAuth2 grant, HttpClient http, Duration timeout, Clock clock) {
        this.grant = grant;
        this.http = http;
        this.timeout = timeout;
        this.clock = clock;
    }

    synchronized String current() throws IOException, InterruptedException {
        if (token == null || !clock.instant().isBefore(renewAt)) {
            fetch();
        }
        return token;
    }

    /** The server refused the token: the next {@link #current()} fetches a new one. */
    synchronized void invalidate(String refused) {
        if (refused != null && refused.equals(token)) {
            token = null;
        }
    }

    private void fetch() throws IOException, InterruptedException {
        StringBuilder form = new StringBuilder("grant_type=client_credentials");
        grant.scope().ifPresent(scope -> form.append("&scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8)));
        String client = URLEncoder.encode(grant.clientId(), StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(grant.clientSecret(), StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(grant.tokenUrl())
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(client.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(form.toString()))
                .build();
        Instant asked = clock.instant();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IOException("OAuth2 token endpoint " + grant.tokenUrl() + " unreachable: " + e, e);
        }
        if (response.statusCode() / 100 != 2) {
            // Not a reason to dead-letter readings: the credentials or the endpoint need fixing, then they go out.
            throw new IOException("OAuth2 token endpoint " + grant.tokenUrl() + " answered " + response.statusCode()
                    + RetryAfter.excerpt(response.body()));
        }
        JsonNode answer = JSON.readTree(response.body());
        if (!answer.path("access_token").isTextual()) {
            throw new IOException("OAuth2 token endpoint " + grant.tokenUrl() + " answered without access_token");
        }
        token = answer.get("access_token").asText();
        Duration lifetime = answer.path("expires_in").canConvertToLong()
                ? Duration.ofSeconds(answer.get("expires_in").asLong()) : DEFAULT_LIFETIME;
        Duration margin = lifetime.compareTo(EXPIRY_MARGIN.multipliedBy(2)) < 0 ? lifetime.dividedBy(2) : EXPIRY_MARGIN;
        renewAt = asked.plus(lifetime).minus(margin);
    }
}
