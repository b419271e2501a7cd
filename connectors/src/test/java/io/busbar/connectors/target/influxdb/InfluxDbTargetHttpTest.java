package io.busbar.connectors.target.influxdb;

import static io.busbar.connectors.support.TestReadings.T0;
import static io.busbar.connectors.support.TestReadings.batch;
import static io.busbar.connectors.support.TestReadings.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.busbar.connectors.support.RecordingHttpServer.Answer;
import io.busbar.connectors.support.RecordingHttpServer;
import io.busbar.connectors.target.RejectedReadingsException;
import io.busbar.connectors.target.RetryLaterException;
import io.busbar.mappings.model.Reading;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The InfluxDB target against a real HTTP server in the test that parses the line protocol it gets
 * and answers as InfluxDB would: the v2 API (no InfluxDB 2 here) and the status handling of both.
 */
class InfluxDbTargetHttpTest {

    private static final String V2 = "/api/v2/write";
    private RecordingHttpServer server;
    private final List<InfluxDbTarget> targets = new ArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        server = new RecordingHttpServer();
    }

    @AfterEach
    void stopServer() {
        targets.forEach(InfluxDbTarget::close);
        server.close();
    }

    private InfluxDbTarget v2() {
        return started(InfluxDbTargetSettings.v2("historian", server.url(""), "energy org", "meters", "t0k3n-secret"));
    }

    private InfluxDbTarget started(InfluxDbTargetSettings settings) {
        InfluxDbTarget target = new InfluxDbTarget(settings.withTimeout(Duration.ofSeconds(2)));
        target.start();
        targets.add(target);
        return target;
    }

    /** A line-protocol point as a server reads it (enough of the grammar for Busbar's points). */
    record Point(String measurement, Map<String, String> tags, Map<String, String> fields, long time) {
        static Point parse(String line) {
            List<String> parts = split(line, ' ');
            List<String> series = split(parts.get(0), ',');
            Map<String, String> tags = new LinkedHashMap<>();
            for (String tag : series.subList(1, series.size())) {
                List<String> kv = split(tag, '=');
                tags.put(unescape(kv.get(0)), unescape(kv.get(1)));
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (String field : split(parts.get(1), ',')) {
                List<String> kv = split(field, '=');
                fields.put(kv.get(0), kv.get(1));
            }
            return new Point(unescape(series.get(0)), tags, fields, Long.parseLong(parts.get(2)));
        }

        private static List<String> split(String text, char separator) {
            List<String> parts = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\\' && i + 1 < text.length()) {
                    current.append(c).append(text.charAt(++i));
                } else if (c == '"') {
                    quoted = !quoted;
                    current.append(c);
                } else if (c == separator && !quoted) {
                    parts.add(current.toString());
                    current.setLength(0);
                } else {
                    current.append(c);
                }
            }
            parts.add(current.toString());
            return parts;
        }

        private static String unescape(String text) {
            return text.replaceAll("\\\\([, =])", "$1");
        }
    }

    private List<Point> points() {
        return server.requests().stream().filter(r -> r.method().equals("POST"))
                .flatMap(r -> r.body().lines()).map(Point::parse).toList();
    }

    @Test
    void v2_postsLineProtocolToApiV2Write_withTokenOrgBucketAndMillisecondPrecision() throws Exception {
        List<Reading> batch = new ArrayList<>(batch(3));
        batch.add(reading("plant 2", "Meter,7", "1-0:1.8.0", new java.math.BigDecimal("0.000100"), "kWh", T0));

        v2().deliver(batch);

        assertThat(server.requests()).singleElement().satisfies(request -> {
            assertThat(request.path()).isEqualTo(V2);
            assertThat(request.query()).isEqualTo("org=energy+org&bucket=meters&precision=ms");
            assertThat(request.header("Authorization")).isEqualTo("Token t0k3n-secret");
        });
        List<Point> points = points();
        assertThat(points).hasSize(4);
        assertThat(points.get(0)).isEqualTo(new Point("readings",
                Map.of("meter", "Meter001", "pair", "plant", "quantity", "1-0:1.8.0"),
                Map.of("value", "1523.456", "quality", "\"GOOD\"", "status", "0i"), T0.toEpochMilli()));
        assertThat(points.get(3).tags()).containsEntry("pair", "plant 2").containsEntry("meter", "Meter,7");
        assertThat(points.get(3).fields()).containsEntry("value", "0.000100");
    }

    @Test
    void v1_postsToWrite_withDatabaseRetentionPolicyAndBasicAuth() throws Exception {
        InfluxDbTargetSettings v1 = InfluxDbTargetSettings.v1("historian", server.url("/"), "energy").withCredentials("writer", "pw");
        v1 = new InfluxDbTargetSettings(v1.name(), v1.url(), v1.api(), v1.database(), java.util.Optional.of("one_year"),
                v1.username(), v1.password(), v1.org(), v1.bucket(), v1.token(), "meters", v1.timeout());

        started(v1).deliver(batch(2));

        assertThat(server.requests()).singleElement().satisfies(request -> {
            assertThat(request.path()).isEqualTo("/write");
            assertThat(request.query()).isEqualTo("db=energy&precision=ms&rp=one_year");
            assertThat(request.header("Authorization")).isEqualTo("Basic d3JpdGVyOnB3");
        });
        assertThat(points()).extracting(Point::measurement).containsOnly("meters");
        assertThat(v1.toString()).doesNotContain("pw,").contains("password=***");
    }

    @Test
    void tooManyRequests_isRetryLater_withTheServersDelay() {
        server.script(V2, Answer.of(429, "{\"message\":\"slow down\"}").withHeader("Retry-After", "7"));

        assertThatThrownBy(() -> v2().deliver(batch(2)))
                .isInstanceOfSatisfying(RetryLaterException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(7)));
    }

    @Test
    void serviceUnavailable_isTransient() {
        server.script(V2, Answer.of(503, "{\"message\":\"busy\"}"));

        assertThatThrownBy(() -> v2().deliver(batch(2)))
                .isInstanceOf(RetryLaterException.class).hasMessageContaining("503");
    }

    @Test
    void badRequestForABatch_isRetriedPointByPoint_andOnlyTheRefusedPointRejected() throws Exception {
        server.otherwise(V2, r -> r.body().contains("Meter003")
                ? Answer.of(400, "{\"code\":\"invalid\",\"message\":\"field type conflict\"}") : Answer.of(204));
        List<Reading> batch = batch(5);

        assertThatThrownBy(() -> v2().deliver(batch))
                .isInstanceOfSatisfying(RejectedReadingsException.class, e -> assertThat(e.rejections())
                        .singleElement().satisfies(r -> {
                            assertThat(r.reading()).isEqualTo(batch.get(2));
                            assertThat(r.reason()).contains("400").contains("field type conflict");
                        }));
        assertThat(server.requests()).hasSize(1 + batch.size());
    }

    @Test
    void unauthorized_rejectsTheWholeBatch() {
        server.script(V2, Answer.of(401, "{\"message\":\"unauthorized access\"}"));
        List<Reading> batch = batch(3);

        assertThatThrownBy(() -> v2().deliver(batch))
                .isInstanceOfSatisfying(RejectedReadingsException.class, e -> assertThat(e.rejections())
                        .extracting(RejectedReadingsException.Rejection::reading).containsExactlyElementsOf(batch));
    }

    @Test
    void payloadTooLarge_splitsTheBatchUntilItFits() throws Exception {
        server.otherwise(V2, r -> r.body().lines().count() > 2 ? Answer.of(413) : Answer.of(204));

        v2().deliver(batch(8));

        assertThat(points()).hasSizeGreaterThanOrEqualTo(8);
        assertThat(server.requests().stream().filter(r -> r.body().lines().count() <= 2)
                .flatMap(r -> r.body().lines()).map(Point::parse).map(Point::time).distinct()).hasSize(8);
    }

    @Test
    void serverDown_isTransient_thenTheSameBatchIsWrittenWhenItIsBack() throws Exception {
        InfluxDbTarget target = v2();
        server.stop();
        List<Reading> batch = batch(4);

        assertThatThrownBy(() -> target.deliver(batch)).isInstanceOf(IOException.class).hasMessageContaining("unreachable");

        server.restart();
        target.deliver(batch);
        assertThat(points()).extracting(Point::time)
                .containsExactlyElementsOf(batch.stream().map(r -> r.sourceTime().toEpochMilli()).toList());
    }
}
