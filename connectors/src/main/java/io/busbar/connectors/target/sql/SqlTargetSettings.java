package io.busbar.connectors.target.sql;

import io.busbar.connectors.target.TargetSettings;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An SQL historian target (PostgreSQL/TimescaleDB or H2, over JDBC).
 *
 * @param name           target name
 * @param url            JDBC URL: {@code jdbc:postgresql://host:5432/db} or {@code jdbc:h2:...}
 * @param username       database user
 * @param password       its password; never logged
 * @param table          table name, optionally schema-qualified; default {@value #DEFAULT_TABLE}
 * @param createTable    apply the shipped DDL ({@code CREATE TABLE IF NOT EXISTS}) before the first write
 * @param connectTimeout how long to wait for a connection before the attempt counts as failed;
 *                       default {@link #DEFAULT_CONNECT_TIMEOUT}
 */
public record SqlTargetSettings(
        String name,
        String url,
        Optional<String> username,
        Optional<String> password,
        String table,
        boolean createTable,
        Duration connectTimeout) implements TargetSettings {

    public static final String TYPE = "sql";
    public static final String DEFAULT_TABLE = "readings";
    public static final boolean DEFAULT_CREATE_TABLE = false;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** A plain SQL identifier, optionally schema-qualified: it is put into statements as it is. */
    public static final Pattern TABLE_NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?$");

    public SqlTargetSettings {
        SqlDialect.of(url);
        if (!TABLE_NAME.matcher(table).matches()) {
            throw new IllegalArgumentException("not a table name: " + table);
        }
    }

    public static SqlTargetSettings of(String name, String url) {
        return new SqlTargetSettings(name, url, Optional.empty(), Optional.empty(), DEFAULT_TABLE, DEFAULT_CREATE_TABLE, DEFAULT_CONNECT_TIMEOUT);
    }

    public SqlTargetSettings withCredentials(String user, String secret) {
        return new SqlTargetSettings(name, url, Optional.of(user), Optional.ofNullable(secret), table, createTable, connectTimeout);
    }

    public SqlTargetSettings withTable(String tableName, boolean create) {
        return new SqlTargetSettings(name, url, username, password, tableName, create, connectTimeout);
    }

    public SqlTargetSettings withConnectTimeout(Duration timeout) {
        return new SqlTargetSettings(name, url, username, password, table, createTable, timeout);
    }

    public SqlDialect dialect() {
        return SqlDialect.of(url);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String toString() {
        return "SqlTargetSettings[name=" + name + ", url=" + url + ", username=" + username.orElse("none")
                + ", password=" + (password.isPresent() ? "***" : "none") + ", table=" + table
                + ", createTable=" + createTable + ", connectTimeout=" + connectTimeout + "]";
    }
}
