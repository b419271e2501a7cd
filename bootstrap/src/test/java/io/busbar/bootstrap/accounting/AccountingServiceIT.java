package io.busbar.bootstrap.accounting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.busbar.accounting.Accounting;
import io.busbar.accounting.Keys;
import io.busbar.accounting.TotalsCsv;
import io.busbar.bootstrap.config.CompiledConfig;
import io.busbar.bootstrap.config.ConfigFile;
import io.busbar.bootstrap.demo.DemoFiles;
import io.busbar.bootstrap.deployment.BusbarProcess;
import io.busbar.bootstrap.support.DemoAccounting;
import io.busbar.bootstrap.support.ReadingsFile;
import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import io.busbar.mappings.Mapping;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.wire.ReadingCodec;
import io.busbar.support.testing.LocalService;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Accounting through the running service: the simulated Milo pair → Busbar in its own JVM →
 * consumption per 15 s and per minute into PostgreSQL, imbalance events to an HTTP receiver; Busbar
 * is killed with SIGKILL in the middle and started again on the same data. Whatever was handed on
 * must then be exactly what the batch command computes from every reading the file target got: no
 * interval missing, none stored twice, none with another value; and a billing totals file for every
 * 30 s moment across the kill, none skipped.
 */
class AccountingServiceIT {

    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final int METERS = 4;

    @TempDir
    Path dir;

    private SimulatedScadaServer primary;
    private SimulatedScadaServer secondary;
    private HttpServer receiver;
    private BusbarProcess busbar;
    private String table;

    /** Every event POST, by Idempotency-Key. */
    private final Map<String, AtomicInteger> posts = new ConcurrentHashMap<>();
    private final Map<String, Reading> events = new ConcurrentHashMap<>();

    @AfterEach
    void stop() throws Exception {
        if (busbar != null) {
            busbar.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
        if (primary != null) {
            primary.close();
        }
        if (secondary != null) {
            secondary.close();
        }
        if (table != null) {
            try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", null); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + table);
            } catch (Exception ignored) {
                // the database went away: nothing to clean
            }
        }
    }

    @Test
    void killedInTheMiddle_everyIntervalStoredOnceAsTheBatchComputesIt_eventsHandedOn() throws Exception {
        Assumptions.assumeTrue(LocalService.accepts(LocalService.HOST, 5432, Duration.ofSeconds(1)),
                "PostgreSQL is not running at 127.0.0.1:5432 (database test): skipped");
        table = "accounting_it_" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
        primary = SimulatedScadaServer.builder().port(0).meterCount(METERS).pushUpdates(true).build();
        secondary = SimulatedScadaServer.builder().port(0).meterCount(METERS).pushUpdates(true).build();
        primary.start();
        secondary.start();
        startReceiver();
        Path config = writeConfig();
        CompiledConfig compiled = ConfigFile.load(config); // the same validation `busbar run` does
        Mapping mapping = compiled.plan().pairs().get(0).mapping();

        Instant started = Instant.now();
        busbar = BusbarProcess.start("busbar", config, dir.resolve("busbar.log"));
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1)).until(() -> !ends("@15s").isEmpty());
        busbar.kill();
        Instant killed = Instant.now();
        busbar = BusbarProcess.start("busbar", config, dir.resolve("busbar-2.log"));
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1))
                .until(() -> busbar.health("accounting").path("status").asText().equals("UP"));
        // a cut-off after the outage: everything up to it must be settled exactly
        Instant afterRestart = Instant.now().plusSeconds(15);
        Instant cutoff = afterRestart.plusSeconds(15);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> ends("@15s").stream().anyMatch(end -> end.isAfter(cutoff.plusSeconds(15))));
        System.out.printf("accounting IT: first interval stored %d s after start, killed, Busbar down %d s%n",
                Duration.between(started, killed).toSeconds(), Duration.between(killed, afterRestart.minusSeconds(15)).toSeconds());

        Map<String, String> stored = new TreeMap<>();
        Map<String, String> truth = new TreeMap<>();
        Map<String, String> eventTruth = new TreeMap<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            List<Reading> readings = ReadingsFile.read(dir.resolve("readings.jsonl"));
            Accounting.Result result = new Accounting("demo", mapping.accounting(), mapping.registers())
                    .compute(readings, null, null);
            Instant first = ends("@15s").get(0);
            truth.clear();
            result.intervals().stream().filter(r -> !r.sourceTime().isBefore(first) && !r.sourceTime().isAfter(cutoff))
                    .forEach(r -> truth.put(Keys.withoutRevision(r.key()), r.key() + " " + r.value().toPlainString()));
            eventTruth.clear();
            result.events().stream().filter(e -> !e.end().isBefore(first) && !e.end().isAfter(cutoff))
                    .forEach(e -> eventTruth.put(Keys.withoutRevision(e.key()), e.key()));
            stored.clear();
            stored.putAll(rows(first, cutoff));
            List<String> every15s = new ArrayList<>();
            for (Instant end = first; !end.isAfter(cutoff); end = end.plusSeconds(15)) {
                for (int m = 1; m <= METERS; m++) {
                    every15s.add("demo/Meter%03d/1-0:1.8.0@15s/%s".formatted(m, end));
                }
            }
            assertThat(stored.keySet()).as("every meter's every 15 s until the cut-off, the outage included")
                    .containsAll(every15s);
            assertThat(stored).isEqualTo(truth);
            Map<String, String> received = new TreeMap<>();
            events.values().stream().filter(e -> !e.sourceTime().isBefore(first) && !e.sourceTime().isAfter(cutoff))
                    .forEach(e -> received.merge(Keys.withoutRevision(e.key()), e.key(), (a, b) -> b));
            assertThat(received.keySet()).isEqualTo(eventTruth.keySet());
        });
        assertThat(truth.keySet()).as("the outage is inside the compared window")
                .anyMatch(k -> k.contains("@15s/") && Instant.parse(k.substring(k.lastIndexOf('/') + 1)).isAfter(killed.plusSeconds(15)));
        assertThat(eventTruth).as("the parent meter reads far less than its members").isNotEmpty();

        checkTotals(mapping, killed, cutoff);

        JsonNode health = busbar.health("accounting");
        assertThat(health.at("/details/pairs/demo/lastIntervalClosed").asText()).isNotEmpty();
        assertThat(health.at("/details/pairs/demo/groupsOutOfBalance/0/group").asText()).isEqualTo("building");
        long repeated = posts.values().stream().mapToInt(AtomicInteger::get).filter(n -> n > 1).count();
        System.out.printf("accounting IT: %d intervals and %d events up to the cut-off, %d event keys POSTed more than once,"
                + " health %s%n", truth.size(), eventTruth.size(), repeated, health.path("details"));
    }

    /**
     * The billing totals of every 30 s moment from before the kill to after the cut-off: none skipped,
     * each written once (one name per moment), each the batch totals since the previous moment of the
     * readings the file target got, or, for a moment in the outage written before the history backfill
     * brought the readings around it, marked estimated.
     */
    private void checkTotals(Mapping mapping, Instant killed, Instant cutoff) throws Exception {
        Path billing = dir.resolve("billing");
        DateTimeFormatter names = DateTimeFormatter.ofPattern("'totals-demo-'yyyyMMdd-HHmmss'.csv'").withZone(ZoneOffset.UTC);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> totalsFiles(billing).stream()
                .anyMatch(name -> !Instant.from(names.parse(name)).isBefore(cutoff)));
        List<String> files = totalsFiles(billing);
        List<Reading> readings = ReadingsFile.read(dir.resolve("readings.jsonl"));
        Accounting batch = new Accounting("demo", mapping.accounting(), mapping.registers());
        // the first moment is at most 30 s after the first reading, the kill at least 15 s after it: the moments span the outage
        assertThat(Instant.from(names.parse(files.get(0)))).isBeforeOrEqualTo(killed.plusSeconds(15));
        int exact = 0;
        int estimated = 0;
        for (int i = 1; i < files.size(); i++) {
            Instant from = Instant.from(names.parse(files.get(i - 1)));
            Instant to = Instant.from(names.parse(files.get(i)));
            assertThat(Duration.between(from, to)).as("no moment skipped: %s", files).isEqualTo(Duration.ofSeconds(30));
            String written = Files.readString(billing.resolve(files.get(i)));
            String truth = new TotalsCsv(ZoneOffset.UTC, '.', TotalsCsv.DEFAULT_DATE_FORMAT)
                    .render(batch.compute(readings, from, to).totals());
            if (written.equals(truth)) {
                exact++;
            } else {
                assertThat(written).as("%s differs from the batch totals: only a moment in the outage, estimated", files.get(i))
                        .contains(";estimated\r\n");
                assertThat(to).isAfter(killed);
                estimated++;
            }
        }
        assertThat(exact).isGreaterThan(estimated);
        System.out.printf("accounting IT: %d billing moments, %d equal to the batch totals, %d estimated (in the outage)%n",
                files.size(), exact, estimated);
    }

    private static List<String> totalsFiles(Path billing) throws IOException {
        if (!Files.isDirectory(billing)) {
            return List.of();
        }
        try (var list = Files.list(billing)) {
            return list.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    private Path writeConfig() throws IOException {
        Path config = DemoFiles.write(dir, primary.endpointUrl(), secondary.endpointUrl(), METERS);
        DemoAccounting.appendBuilding(dir);
        // the demo's configuration, with the accounting's targets beside its readings file
        String targets = """
                  historian:
                    type: sql
                    url: "%s"
                    username: postgres
                    table: %s
                    create-table: true
                  crm:
                    type: http
                    url: http://127.0.0.1:%d/events
                routes:
                """.formatted(POSTGRES, table, receiver.getAddress().getPort());
        Files.writeString(config, Files.readString(config).replace("routes:\n", targets) + """
                accounting:
                  intervals-to: [historian]
                  events-to: [crm]
                  late-data: 5m
                  totals:
                    dir: billing
                    schedule: {every: 30s}
                    file-name: "totals-{pair}-{time:yyyyMMdd-HHmmss}.csv"
                    grace: 20s
                """);
        return config;
    }

    private void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/events", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Reading event = ReadingCodec.fromJson(body);
            posts.computeIfAbsent(exchange.getRequestHeaders().getFirst("Idempotency-Key"), k -> new AtomicInteger()).incrementAndGet();
            events.put(event.key(), event);
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    /** The 15 s (or 1 min) interval ends in the table, in order; empty before the table exists. */
    private List<Instant> ends(String suffix) {
        List<Instant> ends = new ArrayList<>();
        query("SELECT DISTINCT source_time FROM " + table + " WHERE quantity LIKE '%" + suffix + "' ORDER BY 1",
                r -> ends.add(r.getObject(1, java.time.OffsetDateTime.class).toInstant()));
        return ends;
    }

    /** Derived rows with an end in [from, to]: key without revision → key and value. */
    private Map<String, String> rows(Instant from, Instant to) {
        Map<String, String> rows = new TreeMap<>();
        query("SELECT reading_key, reading_value, source_time FROM " + table + " WHERE quantity LIKE '%@%'", r -> {
            Instant end = r.getObject(3, java.time.OffsetDateTime.class).toInstant();
            if (!end.isBefore(from) && !end.isAfter(to)) {
                rows.put(Keys.withoutRevision(r.getString(1)), r.getString(1) + " " + r.getBigDecimal(2).stripTrailingZeros().toPlainString());
            }
        });
        return rows;
    }

    private interface Row {
        void read(ResultSet r) throws Exception;
    }

    private void query(String sql, Row row) {
        try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", null); Statement s = c.createStatement()) {
            if (!c.getMetaData().getTables(null, null, table, null).next()) {
                return;
            }
            try (ResultSet r = s.executeQuery(sql)) {
                while (r.next()) {
                    row.read(r);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
