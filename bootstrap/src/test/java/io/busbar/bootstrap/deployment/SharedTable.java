package io.busbar.bootstrap.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.bootstrap.support.FreePorts;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
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
        url = "jdbc:h2:tcp://localhost:" + port + "/mem:busbar;DB_CLOSE_DELAY=-1";
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

    /** Whether each of the {@code series} has a row at or after {@code second}. */
    static boolean everySeriesReached(List<Row> rows, int series, long second) {
        return rows.stream().filter(row -> row.second() >= second).map(Row::series).distinct().count() == series;
    }

    /**
     * Every series has every second once between the latest first second and the earliest last
     * second of all series (the edges may still be on their way), and no key is stored twice.
     *
     * @return the number of readings checked
     */
    static long assertEverySecondOnce(List<Row> rows, int series) {
        Map<String, Long> perKey = rows.stream().collect(Collectors.groupingBy(Row::key, Collectors.counting()));
        assertThat(perKey).as("keys stored more than once").allSatisfy((key, count) -> assertThat(count).as(key).isOne());
        Map<String, TreeSet<Long>> seconds = rows.stream().collect(Collectors.groupingBy(Row::series,
                Collectors.mapping(Row::second, Collectors.toCollection(TreeSet::new))));
        assertThat(seconds).as("series").hasSize(series);
        long from = seconds.values().stream().mapToLong(TreeSet::first).max().orElseThrow();
        long to = seconds.values().stream().mapToLong(TreeSet::last).min().orElseThrow() - 1;
        long checked = 0;
        for (var entry : seconds.entrySet()) {
            List<Long> missing = new ArrayList<>();
            for (long s = from; s <= to; s++) {
                if (entry.getValue().contains(s)) {
                    checked++;
                } else {
                    missing.add(s);
                }
            }
            assertThat(missing).as("seconds missing in " + entry.getKey()).isEmpty();
        }
        return checked;
    }

    @Override
    public void close() {
        server.stop();
    }
}
