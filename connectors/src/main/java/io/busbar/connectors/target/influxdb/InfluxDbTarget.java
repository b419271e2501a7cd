package io.busbar.connectors.target.influxdb;

import io.busbar.connectors.target.RejectedReadingsException.Rejection;
import io.busbar.connectors.target.RejectedReadingsException;
import io.busbar.connectors.target.RetryLaterException;
import io.busbar.connectors.target.Target;
import io.busbar.connectors.target.http.RetryAfter;
import io.busbar.mappings.model.Reading;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes readings to InfluxDB as line-protocol points ({@link LineProtocol}): measurement
 * configurable, tags pair/meter/quantity, fields value/quality/status, the source time as the point
 * time in milliseconds. InfluxDB 1.x through {@code /write?db=&rp=&precision=ms} (optionally with
 * basic authentication), 2.x through {@code /api/v2/write?org=&bucket=&precision=ms} with
 * {@code Authorization: Token}.
 *
 * <p>Delivery semantics: one request per batch; delivered when InfluxDB answers 2xx (204). A point
 * is identified by measurement, tags and time, and a rewrite replaces its fields, so replays are
 * idempotent: every reading is stored once. Two readings of one meter and quantity within the same
 * millisecond are one point (the later write wins).
 *
 * <p>Failures: 5xx, 408, 429 and connection failures are transient (429/503 carry
 * {@code Retry-After} as a {@link RetryLaterException}). 400 on a batch (a line InfluxDB cannot
 * take, e.g. a field type conflict; 1.x reports "partial write") is retried point by point to find
 * the offending readings, which are rejected with InfluxDB's message; 413 splits the batch in
 * halves. Any other 4xx (401, 403, 404 no such database/bucket) rejects the whole batch. Secrets are
 * never logged.
 */
public final class InfluxDbTarget implements Target {

    private static final Logger LOG = LoggerFactory.getLogger(InfluxDbTarget.class);

    private final InfluxDbTargetSettings settings;
    private final URI writeUri;
    private final Clock clock;
    private HttpClient http;

    public InfluxDbTarget(InfluxDbTargetSettings settings) {
        this(settings, Clock.systemUTC());
    }

    InfluxDbTarget(InfluxDbTargetSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.writeUri = URI.create(writeUrl(settings));
    }

    static String writeUrl(InfluxDbTargetSettings s) {
        String base = s.url().replaceAll("/+$", "");
        if (s.api() == InfluxDbTargetSettings.Api.V1) {
            return base + "/write?db=" + encode(s.database().orElseThrow()) + "&precision=ms"
                    + s.retentionPolicy().map(rp -> "&rp=" + encode(rp)).orElse("");
        }
        return base + "/api/v2/write?org=" + encode(s.org().orElseThrow()) + "&bucket=" + encode(s.bucket().orElseThrow())
                + "&precision=ms";
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public synchronized void start() {
        http = HttpClient.newBuilder().connectTimeout(settings.timeout()).version(HttpClient.Version.HTTP_1_1).build();
    }

    @Override
    public synchronized void deliver(List<Reading> batch) throws Exception {
        if (http == null) {
            throw new IllegalStateException("influxdb target " + name() + " is not started");
        }
        List<Rejection> rejections = new ArrayList<>();
        write(batch, rejections);
        if (!rejections.isEmpty()) {
            throw new RejectedReadingsException(rejections);
        }
    }

    private void write(List<Reading> readings, List<Rejection> rejections) throws Exception {
        if (readings.isEmpty()) {
            return;
        }
        StringBuilder body = new StringBuilder(readings.size() * 120);
        for (Reading reading : readings) {
            body.append(LineProtocol.point(settings.measurement(), reading)).append('\n');
        }
        HttpResponse<String> response = post(body.toString());
        int status = response.statusCode();
        if (status / 100 == 2) {
            return;
        }
        String answer = "InfluxDB answered " + status + RetryAfter.excerpt(response.body());
        if (RetryAfter.isTransient(status)) {
            throw new RetryLaterException("influxdb target " + name() + ": " + answer,
                    RetryAfter.of(response, clock).orElse(null));
        }
        if (status == 413 && readings.size() > 1) {
            int half = readings.size() / 2;
            write(readings.subList(0, half), rejections);
            write(readings.subList(half, readings.size()), rejections);
            return;
        }
        if (status == 400 && readings.size() > 1) {
            LOG.info("InfluxDB target {}: batch of {} refused ({}); writing its points one by one", name(), readings.size(), answer);
            for (Reading reading : readings) {
                write(List.of(reading), rejections);
            }
            return;
        }
        for (Reading reading : readings) {
            rejections.add(new Rejection(reading, answer));
        }
    }

    private HttpResponse<String> post(String lines) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(writeUri)
                .timeout(settings.timeout())
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(lines, StandardCharsets.UTF_8));
        if (settings.api() == InfluxDbTargetSettings.Api.V2) {
            request.header("Authorization", "Token " + settings.token().orElseThrow());
        } else if (settings.username().isPresent()) {
            String credentials = settings.username().get() + ":" + settings.password().orElse("");
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IOException("influxdb target " + name() + ": " + writeUri.getHost() + ":" + writeUri.getPort()
                    + " unreachable: " + e, e);
        }
    }

    @Override
    public synchronized void close() {
        http = null; // the JDK client frees its connections when no longer referenced (close() needs Java 21)
    }
}
