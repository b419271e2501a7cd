package io.busbar.connectors.target.sql;

import io.busbar.connectors.target.TargetEntry;
import io.busbar.connectors.target.TargetType;
import java.util.Optional;

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
        SqlTargetConfig config = entry.config(SqlTargetConfig.class);
        return new SqlTargetSettings(entry.name(), config.url(), Optional.ofNullable(config.username()),
                entry.secret("/password"), config.table(), config.createTable(), config.connectTimeout());
    }

    @Override
    public SqlTarget create(SqlTargetSettings settings) {
        return new SqlTarget(settings);
    }
}
