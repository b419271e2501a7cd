package io.busbar.connectors.target.influxdb;

import io.busbar.connectors.target.TargetEntry;
import io.busbar.connectors.target.TargetType;
import java.util.Optional;

/** {@code type: influxdb}: readings written in line protocol to InfluxDB 1.x (v1 API) or 2.x/3.x (v2 API). */
public final class InfluxDbTargetType extends TargetType<InfluxDbTargetSettings> {

    public InfluxDbTargetType() {
        super(InfluxDbTargetSettings.TYPE, InfluxDbTargetSettings.class, InfluxDbTargetConfig.class);
    }

    @Override
    public void check(TargetEntry entry) {
        entry.secret("/password");
        entry.secret("/token");
    }

    @Override
    public InfluxDbTargetSettings settings(TargetEntry entry) {
        InfluxDbTargetConfig config = entry.config(InfluxDbTargetConfig.class);
        return new InfluxDbTargetSettings(entry.name(), config.url(),
                Optional.ofNullable(config.api()).map(InfluxDbTargetSettings.Api::fromConfig)
                        .orElse(InfluxDbTargetSettings.DEFAULT_API),
                Optional.ofNullable(config.database()), Optional.ofNullable(config.retentionPolicy()),
                Optional.ofNullable(config.username()), entry.secret("/password"), Optional.ofNullable(config.org()),
                Optional.ofNullable(config.bucket()), entry.secret("/token"), config.measurement(), config.timeout());
    }

    @Override
    public InfluxDbTarget create(InfluxDbTargetSettings settings) {
        return new InfluxDbTarget(settings);
    }
}
