package io.busbar.connectors.target.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.busbar.connectors.target.RejectedReadingsException.Rejection;
import io.busbar.connectors.target.RejectedReadingsException;
import io.busbar.connectors.target.Target;
import io.busbar.mappings.model.Reading;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes readings into an SQL table, one row per reading (see the shipped DDL:
 * {@code examples/historian-sql/schema-*.sql}), over a small HikariCP pool.
 *
 * <p>Delivery semantics: a batch is one JDBC batch in one transaction; it counts as delivered once
 * committed. The table's unique key (pair, meter, quantity, source_time) together with
 * {@code ON CONFLICT DO NOTHING} (PostgreSQL) or {@code MERGE ... WHEN NOT MATCHED} (H2) makes a
 * replayed batch a no-op, so every reading is stored exactly once. A later reading with the same key
 * does not overwrite the stored one; one with the same row key but another reading key (a new
 * revision of an accounting interval, {@code ...#<revision>}) replaces it.
 *
 * <p>Failures: when the batch fails with an SQL data or constraint error (SQLState class 22 or 23:
 * a value too long or out of range, a check constraint), the transaction is rolled back and the
 * readings are written one by one: those that fail again that way are rejected, the others stored.
 * Every other failure (no connection, timeouts, a missing table) is transient: the batch is retried
 * and the connection is discarded.
 *
 * <p>With {@code create-table} the DDL runs before the first write (not at start, so Busbar starts
 * while the database is down). The password is never logged.
 */
public final class SqlTarget implements Target {

    private static final Logger LOG = LoggerFactory.getLogger(SqlTarget.class);
    static final int POOL_SIZE = 2;

    private final SqlTargetSettings settings;
    private final SqlDialect dialect;
    private final String insert;
    private HikariDataSource pool;
    private boolean tableReady;

    public SqlTarget(SqlTargetSettings settings) {
        this.settings = settings;
        this.dialect = settings.dialect();
        this.insert = dialect.insert(settings.table());
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public synchronized void start() {
        HikariConfig config = new HikariConfig();
        config.setPoolName("busbar-" + settings.name());
        config.setJdbcUrl(settings.url());
        settings.username().ifPresent(config::setUsername);
        settings.password().ifPresent(config::setPassword);
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(Math.max(250, settings.connectTimeout().toMillis()));
        config.setValidationTimeout(Math.max(250, Math.min(5000, settings.connectTimeout().toMillis())));
        // Start even when the database is down; connections are made when a batch needs one.
        config.setInitializationFailTimeout(-1);
        config.setAutoCommit(true);
        if (dialect == SqlDialect.POSTGRESQL) {
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
            config.addDataSourceProperty("connectTimeout", String.valueOf(Math.max(1, settings.connectTimeout().toSeconds())));
        }
        pool = new HikariDataSource(config);
        tableReady = !settings.createTable();
    }

    @Override
    public synchronized void deliver(List<Reading> batch) throws RejectedReadingsException, SqlDeliveryException {
        if (pool == null) {
            throw new IllegalStateException("sql target " + name() + " is not started");
        }
        if (batch.isEmpty()) {
            return;
        }
        Connection connection = null;
        try {
            connection = pool.getConnection();
            createTableOnce(connection);
            if (writeBatch(connection, batch)) {
                return;
            }
            List<Rejection> rejections = writeOneByOne(connection, batch);
            if (!rejections.isEmpty()) {
                throw new RejectedReadingsException(rejections);
            }
        } catch (SQLException e) {
            if (connection != null) {
                pool.evictConnection(connection);
                connection = null;
            }
            throw new SqlDeliveryException("sql target " + name() + ": batch of " + batch.size() + " not written: "
                    + describe(e), e);
        } finally {
            closeQuietly(connection);
        }
    }

    /** @return true when written; false when it failed with a data or constraint error (rolled back) */
    private boolean writeBatch(Connection connection, List<Reading> batch) throws SQLException {
        connection.setAutoCommit(false);
        try (PreparedStatement statement = connection.prepareStatement(insert)) {
            for (Reading reading : batch) {
                bind(statement, reading);
                statement.addBatch();
            }
            statement.executeBatch();
            connection.commit();
            return true;
        } catch (SQLException e) {
            rollbackQuietly(connection);
            if (isDataError(e)) {
                LOG.info("SQL target {}: batch of {} refused ({}); writing its readings one by one", name(), batch.size(), describe(e));
                return false;
            }
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private List<Rejection> writeOneByOne(Connection connection, List<Reading> batch) throws SQLException {
        List<Rejection> rejections = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(insert)) {
            for (Reading reading : batch) {
                try {
                    bind(statement, reading);
                    statement.executeUpdate();
                } catch (SQLException e) {
                    if (!isDataError(e)) {
                        throw e;
                    }
                    rejections.add(new Rejection(reading, "SQLState " + sqlState(e) + ": " + e.getMessage()));
                }
            }
        }
        return rejections;
    }

    private void createTableOnce(Connection connection) throws SQLException {
        if (tableReady) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            for (String ddl : dialect.ddlStatements(settings.table())) {
                statement.execute(ddl);
            }
        }
        tableReady = true;
        LOG.info("SQL target {}: table {} is ready", name(), settings.table());
    }

    private static void bind(PreparedStatement statement, Reading r) throws SQLException {
        statement.setString(1, r.pair());
        statement.setString(2, r.meter());
        statement.setString(3, r.quantity());
        statement.setObject(4, timestamp(r.sourceTime()));
        statement.setBigDecimal(5, r.value());
        statement.setString(6, r.unit());
        statement.setBigDecimal(7, r.raw());
        statement.setString(8, r.server() == null ? null : r.server().wireName());
        if (r.serverTime() == null) {
            statement.setNull(9, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(9, timestamp(r.serverTime()));
        }
        statement.setString(10, r.quality() == null ? null : r.quality().name());
        statement.setLong(11, r.status());
        statement.setString(12, r.key());
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /** SQLState class 22 (data exception) or 23 (integrity constraint violation), anywhere in the chain. */
    static boolean isDataError(SQLException e) {
        String state = sqlState(e);
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    private static String sqlState(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException next = sql; next != null; next = next.getNextException()) {
                    if (next.getSQLState() != null && !next.getSQLState().isEmpty()) {
                        return next.getSQLState();
                    }
                }
            }
        }
        return null;
    }

    private static String describe(SQLException e) {
        return "SQLState " + sqlState(e) + ": " + e.getMessage();
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the caller finds out
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // returned to the pool or already broken
            }
        }
    }

    @Override
    public synchronized void close() {
        if (pool != null) {
            pool.close();
            pool = null;
        }
    }

    /** A batch was not written for a reason that may pass: no connection, a timeout, a missing table. */
    public static final class SqlDeliveryException extends Exception {
        SqlDeliveryException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
