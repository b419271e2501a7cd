package io.busbar.connectors.support;

import io.busbar.mappings.model.Quality;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.ServerRole;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Readings for target tests, keyed the way the ingest route keys them. */
public final class TestReadings {

    public static final Instant T0 = Instant.parse("2026-11-22T02:10:05Z");

    private TestReadings() {
    }

    public static Reading reading(String meter, String quantity, String value, Instant sourceTime) {
        return reading("plant", meter, quantity, new BigDecimal(value), "kWh", sourceTime);
    }

    public static Reading reading(String pair, String meter, String quantity, BigDecimal value, String unit, Instant sourceTime) {
        String key = pair + "/" + meter + "/" + quantity + "/" + sourceTime;
        return new Reading(key, pair, ServerRole.PRIMARY, meter, quantity, value, unit,
                value == null ? null : value.movePointRight(3), sourceTime, sourceTime.plusMillis(12), Quality.GOOD, 0);
    }

    /** {@code count} readings of active energy import, meters Meter001.., one second apart. */
    public static List<Reading> batch(int count) {
        return batch(count, T0);
    }

    public static List<Reading> batch(int count, Instant start) {
        List<Reading> readings = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            readings.add(reading(String.format("Meter%03d", i % 7 + 1), "1-0:1.8.0",
                    new BigDecimal("1523.456").add(BigDecimal.valueOf(i)).toPlainString(), start.plusSeconds(i)));
        }
        return readings;
    }
}
