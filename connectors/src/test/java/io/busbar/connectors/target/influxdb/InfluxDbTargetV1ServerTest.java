package io.busbar.connectors.target.influxdb;

import static io.busbar.connectors.support.TestReadings.T0;
import static io.busbar.connectors.support.TestReadings.batch;
import static io.busbar.connectors.support.TestReadings.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.busbar.connectors.support.TcpProxy;
import io.busbar.connectors.target.RejectedReadingsException;
import io.busbar.mappings.model.Reading;
import io.busbar.support.testing.LocalService;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The InfluxDB target (API v1) against a real InfluxDB 1.x on 127.0.0.1:8086 (Debian's
 * {@code influxdb} package; {@code .ci/run} starts it). Skipped where it does not run. Every test
 * writes into a database of its own and reads the points back with InfluxQL.
 */
class InfluxDbTargetV1ServerTest {

    private static final String HOST = LocalService.HOST;
    private static final int PORT = 8086;
    @RegisterExtension
    static final LocalService INFLUXDB = LocalService.required("InfluxDB", PORT,
            "install Debian's influxdb package and start influxd to run these tests");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private String database;
    private final List<InfluxDbTarget> targets = new ArrayList<>();

    @BeforeEach
    void createDatabase() throws Exception {
        database = "busbar_" + UUID.randomUUID().toString().substring(0, 8);
        influxQl("CREATE DATABASE " + database, "_internal");
    }

    @AfterEach
    void dropDatabase() throws Exception {
        for (InfluxDbTarget target : targets) {
            target.close();
        }
        influxQl("DROP DATABASE " + database, "_internal");
    }

    private InfluxDbTarget started(String url) {
        InfluxDbTarget target = new InfluxDbTarget(InfluxDbTargetSettings.v1("historian", url, database)
                .withMeasurement("energy").withTimeout(Duration.ofSeconds(2)));
        target.start();
        targets.add(target);
        return target;
    }

    private record Point(Instant time, String meter, String pair, String quantity, BigDecimal value, String quality) {
    }

    private List<Point> points() throws Exception {
        JsonNode result = influxQl("SELECT * FROM energy", database).path("results").path(0);
        List<Point> points = new ArrayList<>();
        JsonNode series = result.path("series").path(0);
        List<String> columns = new ArrayList<>();
        series.path("columns").forEach(c -> columns.add(c.asText()));
        for (JsonNode row : series.path("values")) {
            points.add(new Point(Instant.ofEpochMilli(row.get(columns.indexOf("time")).asLong()),
                    row.get(columns.indexOf("meter")).asText(), row.get(columns.indexOf("pair")).asText(),
                    row.get(columns.indexOf("quantity")).asText(), row.get(columns.indexOf("value")).decimalValue(),
                    row.get(columns.indexOf("quality")).asText()));
        }
        return points;
    }

    private static Point expected(Reading r) {
        return new Point(r.sourceTime(), r.meter(), r.pair(), r.quantity(), r.value(), r.quality().name());
    }

    @Test
    void batch_isStoredAsOnePointPerReading_atItsSourceTime() throws Exception {
        InfluxDbTarget target = started("http://" + HOST + ":" + PORT);
        List<Reading> batch = batch(30);

        target.deliver(batch);

        assertThat(points()).usingRecursiveFieldByFieldElementComparator(
                        org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration.builder()
                                .withComparatorForType(BigDecimal::compareTo, BigDecimal.class).build())
                .containsExactlyInAnyOrderElementsOf(batch.stream().map(InfluxDbTargetV1ServerTest::expected).toList());
    }

    @Test
    void sameBatchTwice_leavesEveryPointOnce() throws Exception {
        InfluxDbTarget target = started("http://" + HOST + ":" + PORT);
        List<Reading> batch = batch(40);

        target.deliver(batch);
        target.deliver(batch);

        assertThat(points()).hasSize(batch.size());
    }

    @Test
    void valueInfluxCannotRepresent_isRejected_andTheOtherPointsStored() throws Exception {
        InfluxDbTarget target = started("http://" + HOST + ":" + PORT);
        List<Reading> batch = new ArrayList<>(batch(10));
        // beyond float64: a scale misconfigured by orders of magnitude
        Reading huge = reading("plant", "Meter099", "1-0:1.8.0", BigDecimal.TEN.pow(400), "kWh", T0);
        batch.add(3, huge);

        assertThatThrownBy(() -> target.deliver(batch))
                .isInstanceOfSatisfying(RejectedReadingsException.class, e -> assertThat(e.rejections()).singleElement()
                        .satisfies(r -> {
                            assertThat(r.reading()).isEqualTo(huge);
                            assertThat(r.reason()).startsWith("InfluxDB answered 400").contains("unable to parse");
                        }));

        assertThat(points()).extracting(Point::meter).doesNotContain("Meter099").hasSize(10);
    }

    @Test
    void serverDown_deliverFailsTransiently_thenTheSameBatchIsStoredOnceWhenItIsBack() throws Exception {
        try (TcpProxy proxy = new TcpProxy(HOST, PORT)) {
            InfluxDbTarget target = started("http://" + HOST + ":" + proxy.port());
            List<Reading> first = batch(5);
            target.deliver(first);

            proxy.stop();
            List<Reading> during = batch(20, T0.plusSeconds(100));
            assertThatThrownBy(() -> target.deliver(during))
                    .isInstanceOf(IOException.class).isNotInstanceOf(RejectedReadingsException.class);

            proxy.start();
            target.deliver(during);
            target.deliver(during);

            assertThat(points()).extracting(Point::time).containsExactlyInAnyOrderElementsOf(
                    Stream.concat(first.stream(), during.stream()).map(Reading::sourceTime).toList());
        }
    }

    private static JsonNode influxQl(String query, String db) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + PORT
                        + "/query?epoch=ms&db=" + db))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("q=" + URLEncoder.encode(query, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
