package io.busbar.connectors.target.sql;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.busbar.connectors.schema.Schema;
import io.busbar.connectors.target.RetryConfig;
import java.time.Duration;
import java.util.Objects;

/** The keys of a {@code type: sql} entry; its schema is generated from this record. */
@JsonClassDescription("a PostgreSQL/TimescaleDB or H2 historian table")
@Schema.Requires(key = "password", needs = "username")
@Schema.DefaultsIn(SqlTargetSettings.class)
public record SqlTargetConfig(
        @Schema.AnyValue String type,
        @JsonProperty(required = true)
        @Schema.Pattern(value = "^jdbc:(postgresql|h2):\\S+$", message = "must be a jdbc:postgresql:// or jdbc:h2: URL")
        @JsonPropertyDescription("JDBC URL: jdbc:postgresql://host:5432/db (PostgreSQL/TimescaleDB) or jdbc:h2:...")
        String url,
        @Schema.Size(min = 1) @JsonPropertyDescription("Database user.") String username,
        @JsonPropertyDescription("Password. Write ${ENV_VAR} to take it from the environment. Never logged.")
        String password,
        @Schema.Pattern(value = "^[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?$",
                message = "must be a table name such as readings or historian.readings (letters, digits, _)")
        @JsonPropertyDescription("Table, optionally schema.table. Default readings.") String table,
        @JsonProperty("create-table")
        @JsonPropertyDescription("Create the table (the DDL in examples/historian-sql) if it does not exist. Default"
                + " false.") Boolean createTable,
        @JsonProperty("connect-timeout")
        @JsonPropertyDescription("How long to wait for a database connection. Default 10s.") Duration connectTimeout,
        RetryConfig retry) {

    /** Left out, a key takes its default (its constant in {@link SqlTargetSettings}). */
    public SqlTargetConfig {
        table = Objects.requireNonNullElse(table, SqlTargetSettings.DEFAULT_TABLE);
        createTable = Objects.requireNonNullElse(createTable, SqlTargetSettings.DEFAULT_CREATE_TABLE);
        connectTimeout = Objects.requireNonNullElse(connectTimeout, SqlTargetSettings.DEFAULT_CONNECT_TIMEOUT);
    }
}
