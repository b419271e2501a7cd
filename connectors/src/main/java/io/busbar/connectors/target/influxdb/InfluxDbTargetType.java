package io.busbar.connectors.target.influxdb;

import io.busbar.connectors.target.TargetEntry;
import io.busbar.connectors.target.TargetType;

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
        return new InfluxDbTargetSettings(entry.name(), entry.node().get("url").asText(),
                entry.text("/api").map(InfluxDbTargetSettings.Api::fromConfig).orElse(InfluxDbTargetSettings.DEFAULT_API),
                entry.text("/database"), entry.text("/retention-policy"), entry.text("/username"), entry.secret("/password"),
                entry.text("/org"), entry.text("/bucket"), entry.secret("/token"),
                entry.text("/measurement", InfluxDbTargetSettings.DEFAULT_MEASUREMENT),
                entry.duration("/timeout", InfluxDbTargetSettings.DEFAULT_TIMEOUT));
    }

    @Override
    public InfluxDbTarget create(InfluxDbTargetSettings settings) {
        return new InfluxDbTarget(settings);
    }
}
