package io.busbar.connectors.target.http;

import io.busbar.connectors.target.RejectedReadingsException.Rejection;
import io.busbar.connectors.target.RejectedReadingsException;
import io.busbar.connectors.target.RetryLaterException;
import io.busbar.connectors.target.Target;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.wire.ReadingCodec;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * POSTs readings as JSON (the wire format) to a web service: one reading per request, or with
 * {@code body: batch} the whole batch as one JSON array.
 *
 * <p>Every request carries {@code Idempotency-Key}: the reading key (for a batch, the SHA-256 of
 * the batch's reading keys, one per line), so a receiver that remembers keys stores each reading
 * once although Busbar may send it again. With a signing secret, requests are signed the Standard
 * Webhooks way: {@code webhook-id} (= the idempotency key, the same on every retry),
 * {@code webhook-timestamp} (seconds) and {@code webhook-signature: v1,<base64 HMAC-SHA256 of
 * id.timestamp.body>}.
 *
 * <p>Delivery semantics: a request counts as delivered on 2xx. 408, 429, 5xx and connection
 * failures are transient: the batch is retried (with one reading per request, from its first
 * reading; those already accepted are sent again with the same key). 429 and 503 carry the
 * server's {@code Retry-After} in a {@link RetryLaterException}. Any other answer (3xx, 4xx) rejects
 * the readings of that request with the status and the start of the response body. With OAuth2 a
 * 401 fetches a new token and repeats the request once; tokens are also renewed before they
 * expire. A token endpoint that fails is a transient failure, not a rejection.
 *
 * <p>{@code rate-limit} spaces requests evenly. Secrets (passwords, tokens, the signing secret)
 * are never logged.
 */
public final class HttpTarget implements Target {

    private final HttpTargetSettings settings;
    private final Clock clock;
    private final WebhookSigner signer;
    private final RateLimiter rateLimiter;
    // set by start(), cleared by close(); deliveries run unsynchronised (parallelism > 1): the JDK
    // client, the rate limiter and the token cache are safe to share
    private volatile HttpClient http;
    private volatile OAuth2Tokens tokens;

    public HttpTarget(HttpTargetSettings settings) {
        this(settings, Clock.systemUTC());
    }

    HttpTarget(HttpTargetSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.signer = settings.signingSecret().map(WebhookSigner::new).orElse(null);
        this.rateLimiter = settings.rateLimit().map(RateLimiter::new).orElse(null);
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public synchronized void start() throws Exception {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1);
        if (!settings.tls().isDefault()) {
            builder.sslContext(settings.tls().sslContext());
        }
        http = builder.build();
        if (settings.auth() instanceof HttpTargetSettings.OAuth2 grant) {
            tokens = new OAuth2Tokens(grant, http, settings.timeout(), clock);
        }
    }

    @Override
    public boolean batchIsItsIdentity() {
        return settings.body() == HttpTargetSettings.Body.BATCH;
    }

    @Override
    public void deliver(List<Reading> batch) throws Exception {
        if (http == null) {
            throw new IllegalStateException("http target " + name() + " is not started");
        }
        if (batch.isEmpty()) {
            return;
        }
        List<Rejection> rejections = new ArrayList<>();
        if (settings.body() == HttpTargetSettings.Body.BATCH) {
            send(batch, ReadingCodec.toJsonBatch(batch), batchKey(batch), rejections);
        } else {
            for (Reading reading : batch) {
                send(List.of(reading), ReadingCodec.toJson(reading).getBytes(StandardCharsets.UTF_8),
                        idempotencyKey(reading.key()), rejections);
            }
        }
        if (!rejections.isEmpty()) {
            throw new RejectedReadingsException(rejections);
        }
    }

    private void send(List<Reading> readings, byte[] body, String key, List<Rejection> rejections) throws Exception {
        HttpResponse<String> response = post(body, key);
        if (response.statusCode() == 401 && tokens != null) {
            tokens.invalidate(bearerOf(response.request()));
            response = post(body, key);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return;
        }
        String answer = settings.url() + " answered " + status + RetryAfter.excerpt(response.body());
        if (RetryAfter.isTransient(status)) {
            throw new RetryLaterException("http target " + name() + ": " + answer, RetryAfter.of(response, clock).orElse(null));
        }
        if (status / 100 == 3) {
            answer += response.headers().firstValue("Location").map(l -> " (redirect to " + l + ": fix the url)").orElse("");
        }
        for (Reading reading : readings) {
            rejections.add(new Rejection(reading, answer));
        }
    }

    private HttpResponse<String> post(byte[] body, String key) throws IOException, InterruptedException {
        if (rateLimiter != null) {
            rateLimiter.acquire();
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(settings.url())
                .timeout(settings.timeout())
                .header("Content-Type", "application/json; charset=utf-8")
                .header("Accept", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        settings.headers().forEach(request::header);
        if (settings.auth() instanceof HttpTargetSettings.Basic basic) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((basic.username() + ":" + basic.password()).getBytes(StandardCharsets.UTF_8)));
        } else if (settings.auth() instanceof HttpTargetSettings.Bearer bearer) {
            request.header("Authorization", "Bearer " + bearer.token());
        } else if (tokens != null) {
            request.header("Authorization", "Bearer " + tokens.current());
        }
        if (signer != null) {
            long timestamp = clock.instant().getEpochSecond();
            request.header("webhook-id", key)
                    .header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", signer.signature(key, timestamp, body));
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IOException("http target " + name() + ": " + settings.url().getHost() + " unreachable: " + e, e);
        }
    }

    private static String bearerOf(HttpRequest request) {
        return request.headers().firstValue("Authorization").filter(h -> h.startsWith("Bearer "))
                .map(h -> h.substring("Bearer ".length())).orElse(null);
    }

    /**
     * The reading key as a header value: visible ASCII stays as it is, anything else (a non-Latin
     * meter id, {@code %}) is percent-encoded UTF-8, so the value is the same on every retry.
     */
    static String idempotencyKey(String readingKey) {
        StringBuilder out = new StringBuilder(readingKey.length());
        for (byte b : readingKey.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c > 0x20 && c < 0x7f && c != '%') {
                out.append((char) c);
            } else {
                out.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
            }
        }
        return out.toString();
    }

    /** SHA-256 (hex) of the batch's reading keys, one per line: the same batch gets the same key. */
    static String batchKey(List<Reading> batch) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (Reading reading : batch) {
                sha256.update(reading.key().getBytes(StandardCharsets.UTF_8));
                sha256.update((byte) '\n');
            }
            return "batch-" + HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public synchronized void close() {
        http = null; // the JDK client frees its connections when no longer referenced (close() needs Java 21)
        tokens = null;
    }
}
