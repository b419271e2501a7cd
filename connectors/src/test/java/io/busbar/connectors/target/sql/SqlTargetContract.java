package io.busbar.connectors.target.sql;

import static io.busbar.connectors.support.TestReadings.T0;
import static io.busbar.connectors.support.TestReadings.batch;
import static io.busbar.connectors.support.TestReadings.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.busbar.connectors.target.RejectedReadingsException;
import io.busbar.mappings.model.Reading;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the database holds after {@link SqlTarget} delivered; run against H2 (always) and PostgreSQL (when it runs). */
abstract class SqlTargetContract {

    protected String table;
    private final List<SqlTarget> targets = new ArrayList<>();

    /** JDBC URL of the database under test. */
    protected abstract String url();

    protected SqlTargetSettings access(SqlTargetSettings settings) {
        return settings;
    }

    protected Connection connect() throws SQLException {
        SqlTargetSettings access = access(SqlTargetSettings.of("probe", url()));
        return DriverManager.getConnection(url(), access.username().orElse(null), access.password().orElse(null));
    }

    @BeforeEach
    void uniqueTable() {
        table = "readings_" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void dropTable() throws Exception {
        for (SqlTarget target : targets) {
            target.close();
        }
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
        }
    }

    protected SqlTarget started(SqlTargetSettings settings) {
        SqlTarget target = new SqlTarget(settings);
        target.start();
        targets.add(target);
        return target;
    }

    protected SqlTargetSettings settings(String jdbcUrl, boolean createTable) {
        return access(SqlTargetSettings.of("historian", jdbcUrl).withTable(table, createTable)
                // generous: a loaded 2-core CI box can take seconds to open a PostgreSQL connection
                .withConnectTimeout(java.time.Duration.ofSeconds(3)));
    }

    protected record Row(String key, String meter, String quantity, OffsetDateTime sourceTime, BigDecimal value, String unit,
                         String quality, String server) {
    }

    protected List<Row> rows() throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT reading_key, meter, quantity, source_time, reading_value, unit, quality, server"
                     + " FROM " + table + " ORDER BY reading_key")) {
            while (rs.next()) {
                rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getObject(4, OffsetDateTime.class),
                        rs.getBigDecimal(5), rs.getString(6), rs.getString(7), rs.getString(8)));
            }
        }
        return rows;
    }

    protected static List<String> keys(List<Reading> readings) {
        return readings.stream().map(Reading::key).sorted().toList();
    }

    @Test
    void createTable_thenBatch_isStoredOneRowPerReading_withExactValuesAndTimes() throws Exception {
        SqlTarget target = started(settings(url(), true));
        Reading precise = reading("Meter001", "1-0:1.8.0", "123456789.123456789", T0.plusNanos(123_456_000));
        List<Reading> batch = new ArrayList<>(batch(20));
        batch.add(precise);

        target.deliver(batch);

        List<Row> rows = rows();
        assertThat(rows).extracting(Row::key).containsExactlyElementsOf(keys(batch));
        Row stored = rows.stream().filter(r -> r.key().equals(precise.key())).findFirst().orElseThrow();
        assertThat(stored.value()).isEqualByComparingTo("123456789.123456789");
        assertThat(stored.sourceTime().toInstant()).isEqualTo(precise.sourceTime());
        assertThat(stored.meter()).isEqualTo("Meter001");
        assertThat(stored.quantity()).isEqualTo("1-0:1.8.0");
        assertThat(stored.unit()).isEqualTo("kWh");
        assertThat(stored.quality()).isEqualTo("GOOD");
        assertThat(stored.server()).isEqualTo("primary");
    }

    @Test
    void sameBatchTwice_storesEveryReadingOnce() throws Exception {
        SqlTarget target = started(settings(url(), true));
        List<Reading> batch = batch(50);

        target.deliver(batch);
        target.deliver(batch);
        target.deliver(batch.subList(10, 20));

        assertThat(rows()).extracting(Row::key).containsExactlyElementsOf(keys(batch));
    }

    @Test
    void laterReadingWithTheSameKey_doesNotOverwriteTheStoredOne() throws Exception {
        SqlTarget target = started(settings(url(), true));
        Reading first = reading("Meter001", "1-0:1.8.0", "10.000", T0);
        Reading replay = reading("Meter001", "1-0:1.8.0", "99.000", T0);

        target.deliver(List.of(first));
        target.deliver(List.of(replay));

        assertThat(rows()).singleElement().satisfies(r -> assertThat(r.value()).isEqualByComparingTo("10.000"));
    }

    @Test
    void newRevisionOfADerivedReading_replacesTheRow_itsReplayDoesNothing() throws Exception {
        SqlTarget target = started(settings(url(), true));
        Reading plain = reading("Meter001", "1-0:1.8.0@15min", "10.000", T0);
        Reading estimate = withKey(plain, plain.key() + "#0000aaaa", "10.000");
        Reading real = withKey(plain, plain.key() + "#0000bbbb", "12.500");

        target.deliver(List.of(estimate));
        target.deliver(List.of(real));
        target.deliver(List.of(real));

        assertThat(rows()).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo(real.key());
            assertThat(r.value()).isEqualByComparingTo("12.500");
        });
    }

    private static Reading withKey(Reading r, String key, String value) {
        return new Reading(key, r.pair(), r.server(), r.meter(), r.quantity(), new BigDecimal(value), r.unit(), r.raw(),
                r.sourceTime(), r.serverTime(), r.quality(), r.status(), r.validation(), r.flags(), r.serial(), r.account(),
                r.address(), r.groups(), r.medium(), r.accumulation(), r.tariff());
    }

    @Test
    void constraintViolationInOneRow_rejectsExactlyThatReading_andStoresTheOthers() throws Exception {
        SqlTarget target = started(settings(url(), true));
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(SqlDialect.of(url()).ddlStatements(table).get(0));
            s.execute("ALTER TABLE " + table + " ADD CONSTRAINT " + table + "_positive CHECK (reading_value >= 0)");
        }
        List<Reading> batch = new ArrayList<>(batch(10));
        Reading negative = reading("Meter009", "1-0:1.8.0", "-5", T0.plusSeconds(3600));
        batch.add(4, negative);

        assertThatThrownBy(() -> target.deliver(batch))
                .isInstanceOfSatisfying(RejectedReadingsException.class, e -> assertThat(e.rejections())
                        .singleElement().satisfies(r -> {
                            assertThat(r.reading()).isEqualTo(negative);
                            assertThat(r.reason()).startsWith("SQLState 23");
                        }));

        List<Reading> stored = new ArrayList<>(batch);
        stored.remove(negative);
        assertThat(rows()).extracting(Row::key).containsExactlyElementsOf(keys(stored));
    }

    @Test
    void missingTable_withoutCreateTable_isATransientFailure() {
        SqlTarget target = started(settings(url(), false));

        assertThatThrownBy(() -> target.deliver(batch(2)))
                .isInstanceOf(SqlTarget.SqlDeliveryException.class)
                .hasMessageContaining("not written");
    }
}
