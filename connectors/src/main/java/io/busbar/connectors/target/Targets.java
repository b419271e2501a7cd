package io.busbar.connectors.target;

import io.busbar.connectors.csv.CsvTarget;
import io.busbar.connectors.csv.CsvTargetSettings;
import io.busbar.connectors.file.FileTarget;
import io.busbar.connectors.file.FileTargetSettings;
import io.busbar.connectors.http.HttpTarget;
import io.busbar.connectors.http.HttpTargetSettings;
import io.busbar.connectors.influxdb.InfluxDbTarget;
import io.busbar.connectors.influxdb.InfluxDbTargetSettings;
import io.busbar.connectors.kafka.KafkaTarget;
import io.busbar.connectors.kafka.KafkaTargetSettings;
import io.busbar.connectors.mqtt.MqttTarget;
import io.busbar.connectors.mqtt.MqttTargetSettings;
import io.busbar.connectors.sql.SqlTarget;
import io.busbar.connectors.sql.SqlTargetSettings;

/** Creates the {@link Target} for validated settings. */
public final class Targets {

    private Targets() {
    }

    public static Target create(TargetSettings settings) {
        if (settings instanceof FileTargetSettings file) {
            return new FileTarget(file);
        }
        if (settings instanceof KafkaTargetSettings kafka) {
            return new KafkaTarget(kafka);
        }
        if (settings instanceof MqttTargetSettings mqtt) {
            return new MqttTarget(mqtt);
        }
        if (settings instanceof SqlTargetSettings sql) {
            return new SqlTarget(sql);
        }
        if (settings instanceof InfluxDbTargetSettings influx) {
            return new InfluxDbTarget(influx);
        }
        if (settings instanceof HttpTargetSettings http) {
            return new HttpTarget(http);
        }
        if (settings instanceof CsvTargetSettings csv) {
            return new CsvTarget(csv);
        }
        throw new IllegalArgumentException("no target implementation for type '" + settings.type() + "'");
    }
}
