package io.busbar.bootstrap.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.bootstrap.support.FreePorts;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.h2.tools.Server;

/**
 * The idempotent target several Busbar instances share: one H2 table in server mode with the
 * SQL target's unique reading key, as a historian would be.
 */
final class SharedTable implements AutoCloseable {

    /** One stored reading. */
    record Row(String key, String series, long second, String server) {
    }

    private final Server server;
    private final String url;

    SharedTable() throws SQLException {
        int port = FreePorts.next();
        server = Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifNotExists").start();
        // a database of its own: an in-memory one outlives its TCP server in this JVM, with the rows of earlier tests
        url = "jdbc:h2:tcp://localhost:" + port + "/mem:busbar-" + port + ";DB_CLOSE_DELAY=-1";
    }

    /** The JDBC URL to put into each instance's sql target. */
    String url() {
        return url;
    }

    List<Row> rows() {
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement()) {
            if (!connection.getMetaData().getTables(null, null, "READINGS", null).next()) {
                return List.of(); // not created yet: the instances are still starting
            }
            List<Row> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery(
                    "SELECT reading_key, meter, quantity, source_time, server FROM readings")) {
                while (result.next()) {
                    rows.add(new Row(result.getString(1), result.getString(2) + "/" + result.getString(3),
                            result.getObject(4, OffsetDateTime.class).toEpochSecond(), result.getString(5)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    long distinctSeconds() {
        return rows().stream().mapToLong(Row::second).distinct().count();
    }

    /** The first second every series has reached the table with: where a complete window can begin. */
    static long firstSecondOfAll(List<Row> rows) {
        return secondsPerSeries(rows).values().stream().mapToLong(TreeSet::first).max().orElseThrow();
    }

    /** The newest source second {@code server}'s readings reached the table with; 0 before any. */
    long newestSecond(String server) {
        try (Connection connection = DriverManager.getConnection(url);
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT MAX(source_time) FROM readings WHERE server = ?")) {
            if (!connection.getMetaData().getTables(null, null, "READINGS", null).next()) {
                return 0;
            }
            statement.setString(1, server);
            try (ResultSet result = statement.executeQuery()) {
                OffsetDateTime newest = result.next() ? result.getObject(1, OffsetDateTime.class) : null;
                return newest == null ? 0 : newest.toEpochSecond();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Every one of {@code series} series has every second of {@code from..to} (inclusive) once:
     * one row per (series, second), and no reading key stored twice.
     *
     * @return the number of readings checked
     */
    static long assertEverySecondOnce(List<Row> rows, int series, long from, long to) {
        Map<String, Long> perKey = rows.stream().collect(Collectors.groupingBy(Row::key, Collectors.counting()));
        assertThat(perKey).as("keys stored more than once").allSatisfy((key, count) -> assertThat(count).as(key).isOne());
        Map<String, Long> perSecond = rows.stream().collect(Collectors.groupingBy(row -> row.series() + " at "
                + Instant.ofEpochSecond(row.second()), Collectors.counting()));
        assertThat(perSecond).as("seconds of a series stored more than once (under different keys)")
                .allSatisfy((second, count) -> assertThat(count).as(second).isOne());
        Map<String, TreeSet<Long>> seconds = secondsPerSeries(rows);
        assertThat(seconds).as("series").hasSize(series);
        long checked = 0;
        Map<String, String> missing = new TreeMap<>();
        for (var entry : seconds.entrySet()) {
            List<Long> absent = LongStream.rangeClosed(from, to).filter(s -> !entry.getValue().contains(s)).boxed().toList();
            checked += (to - from + 1) - absent.size();
            if (!absent.isEmpty()) {
                missing.put(entry.getKey(), ranges(absent));
            }
        }
        Map<String, Instant> newest = rows.stream().collect(Collectors.groupingBy(Row::server, TreeMap::new,
                Collectors.collectingAndThen(Collectors.maxBy(Comparator.comparingLong(Row::second)),
                        row -> Instant.ofEpochSecond(row.orElseThrow().second()))));
        assertThat(missing).as("seconds missing per series in %s..%s (the newest second from each server: %s)",
                Instant.ofEpochSecond(from), Instant.ofEpochSecond(to), newest).isEmpty();
        return checked;
    }

    private static Map<String, TreeSet<Long>> secondsPerSeries(List<Row> rows) {
        return rows.stream().collect(Collectors.groupingBy(Row::series,
                Collectors.mapping(Row::second, Collectors.toCollection(TreeSet::new))));
    }

    /** Ascending seconds as runs, e.g. {@code 2024-01-01T10:00:05Z..2024-01-01T10:00:07Z (3 s)}. */
    private static String ranges(List<Long> seconds) {
        List<String> runs = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= seconds.size(); i++) {
            if (i == seconds.size() || seconds.get(i) != seconds.get(i - 1) + 1) {
                runs.add(Instant.ofEpochSecond(seconds.get(start)) + ".." + Instant.ofEpochSecond(seconds.get(i - 1))
                        + " (" + (i - start) + " s)");
                start = i;
            }
        }
        return String.join(", ", runs);
    }

    @Override
    public void close() {
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement()) {
            statement.execute("SHUTDOWN");
        } catch (SQLException e) {
            System.out.println("Cannot shut the shared table's database down: " + e);
        }
        server.stop();
    }
}
