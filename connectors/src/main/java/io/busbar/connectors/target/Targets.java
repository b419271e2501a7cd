package io.busbar.connectors.target;

import io.busbar.connectors.target.csv.CsvTargetType;
import io.busbar.connectors.target.file.FileTargetType;
import io.busbar.connectors.target.http.HttpTargetType;
import io.busbar.connectors.target.influxdb.InfluxDbTargetType;
import io.busbar.connectors.target.kafka.KafkaTargetType;
import io.busbar.connectors.target.mqtt.MqttTargetType;
import io.busbar.connectors.target.sql.SqlTargetType;
import java.util.List;
import java.util.Optional;

/** The registry of target types, keyed by their {@code type}; a new type is one more line here. */
public final class Targets {

    private static final List<TargetType<?>> TYPES = List.of(
            new FileTargetType(),
            new KafkaTargetType(),
            new MqttTargetType(),
            new SqlTargetType(),
            new InfluxDbTargetType(),
            new HttpTargetType(),
            new CsvTargetType());

    private Targets() {
    }

    /** Every registered type, in the order of the list above. */
    public static List<TargetType<?>> types() {
        return TYPES;
    }

    /** The type registered under {@code type}; empty for an unknown name (the schema reports it). */
    public static Optional<TargetType<?>> type(String type) {
        return TYPES.stream().filter(t -> t.type().equals(type)).findFirst();
    }

    /** Creates the {@link Target} for validated settings. */
    public static Target create(TargetSettings settings) {
        TargetType<?> type = type(settings.type()).orElseThrow(() -> new IllegalArgumentException(
                "no target implementation for type '" + settings.type() + "'"));
        return create(type, settings);
    }

    private static <S extends TargetSettings> Target create(TargetType<S> type, TargetSettings settings) {
        return type.create(type.settingsClass().cast(settings));
    }
}
