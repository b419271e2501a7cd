package io.busbar.connectors.target.sql;

import io.busbar.connectors.target.TargetEntry;
import io.busbar.connectors.target.TargetType;

/** {@code type: sql}: readings upserted into a PostgreSQL/TimescaleDB or H2 table. */
public final class SqlTargetType extends TargetType<SqlTargetSettings> {

    public SqlTargetType() {
        super(SqlTargetSettings.TYPE, SqlTargetSettings.class, SqlTargetConfig.class);
    }

    @Override
    public void check(TargetEntry entry) {
        entry.secret("/password");
    }

    @Override
    public SqlTargetSettings settings(TargetEntry entry) {
        return new SqlTargetSettings(entry.name(), entry.node().get("url").asText(), entry.text("/username"),
                entry.secret("/password"), entry.text("/table", SqlTargetSettings.DEFAULT_TABLE),
                entry.node().path("create-table").asBoolean(SqlTargetSettings.DEFAULT_CREATE_TABLE),
                entry.duration("/connect-timeout", SqlTargetSettings.DEFAULT_CONNECT_TIMEOUT));
    }

    @Override
    public SqlTarget create(SqlTargetSettings settings) {
        return new SqlTarget(settings);
    }
}
