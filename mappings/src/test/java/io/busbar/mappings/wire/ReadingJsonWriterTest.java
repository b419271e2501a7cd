package io.busbar.mappings.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.busbar.mappings.model.Accumulation;
import io.busbar.mappings.model.Medium;
import io.busbar.mappings.model.Quality;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.ReadingKey;
import io.busbar.mappings.model.ServerRole;
import io.busbar.mappings.model.ValidationStatus;
import io.busbar.mappings.support.TestDecimals;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The direct writer must give exactly Jackson's bytes ({@link ReadingCodec#toJson}): targets and consumers see no change. */
class ReadingJsonWriterTest implements WireArbitraries {

    private static final Instant T = Instant.parse("2024-03-31T00:15:00Z");

    private static Reading reading(String meter, BigDecimal value, BigDecimal raw, Instant sourceTime, Instant serverTime,
                                   Quality quality, long status, ValidationStatus validation, List<String> flags,
                                   String serial, String account, String address, List<String> groups, Medium medium,
                                   Accumulation accumulation, String tariff, String unit) {
        return new Reading(ReadingKey.of("plant-a", meter, "1-0:1.8.0", sourceTime), "plant-a", ServerRole.SECONDARY,
                meter, "1-0:1.8.0", value, unit, raw, sourceTime, serverTime, quality, status, validation, flags, serial,
                account, address, groups, medium, accumulation, tariff);
    }

    private static List<Reading> examples() {
        List<Reading> all = new ArrayList<>();
        all.add(new Reading("plant-a/MTR-001/1-0:1.8.0/2024-03-31T00:15:00Z", "plant-a", ServerRole.PRIMARY, "MTR-001",
                "1-0:1.8.0", new BigDecimal("123.456"), "kWh", new BigDecimal("123456"), T, T.plusMillis(250), Quality.GOOD, 0));
        all.add(new Reading("k", "plant-a", null, "MTR-002", "1-0:1.7.0", null, null, null, T.plusNanos(123_456_789), null,
                null, 0x80310000L));
        all.add(reading("APT \"42\" \\ / \b\t\n\f\r \u0000\u0001\u001f\u007f", new BigDecimal("-0.000000001"),
                new BigDecimal("1E+5"), T, null, Quality.UNCERTAIN, 0x408F0000L, ValidationStatus.QUESTIONABLE,
                List.of("uncertain-quality", "rollover", "a\"b"), "033807", "5087875888", "Bld 12, apt 42\nStiege 3",
                List.of("bld-12", "feeder-3"), Medium.ELECTRICITY, Accumulation.REGISTER, "T1", "kWh"));
        all.add(reading("Zähler-ß-€-\u2028-\u00ff-\u0800-\uffff", new BigDecimal("12345678901234567890.123"),
                new BigDecimal("1.0E-20"), T.plusSeconds(86_400L * 365 * 30), T, Quality.BAD, -1L, ValidationStatus.ESTIMATED,
                List.of(), null, "", null, List.of("", "\u00e9"), Medium.WATER_HOT, Accumulation.INTERVAL, null, "m³"));
        all.add(reading("emoji-\ud83d\ude00", BigDecimal.ZERO, new BigDecimal("0.00"), T, T, Quality.GOOD, 0,
                ValidationStatus.VALID, List.of("\ud83d\ude00"), null, null, null, List.of(), null, null, "\ud83d\ude00", "°C"));
        return all;
    }

    @Test
    void examples_areJacksonsBytes_escapesFlagsNullsAndNonAscii() {
        try (ReadingJsonWriter writer = new ReadingJsonWriter()) {
            for (Reading reading : examples()) {
                assertThat(new String(writer.encode(reading), java.nio.charset.StandardCharsets.UTF_8))
                        .isEqualTo(ReadingCodec.toJson(reading));
            }
            // and again: the second time the shared texts come from the writer's cache
            for (Reading reading : examples()) {
                assertThat(writer.encode(reading)).isEqualTo(ReadingCodec.toJson(reading).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void loneSurrogates_areWhateverJacksonWrites() {
        for (String meter : List.of("bad-\ud83d", "\ude00-bad", "a\ud83dz")) {
            Reading broken = reading(meter, BigDecimal.ONE, BigDecimal.ONE, T, null, Quality.GOOD, 0,
                    ValidationStatus.RAW, List.of(), null, null, null, List.of(), null, null, null, "kWh");
            Throwable jackson = catchFailure(() -> ReadingCodec.toJson(broken));
            try (ReadingJsonWriter writer = new ReadingJsonWriter()) {
                if (jackson == null) {
                    assertThat(new String(writer.encode(broken), java.nio.charset.StandardCharsets.UTF_8))
                            .isEqualTo(ReadingCodec.toJson(broken));
                } else {
                    assertThatThrownBy(() -> writer.encode(broken)).isInstanceOf(jackson.getClass());
                }
            }
        }
    }

    @Property(tries = 300)
    void anyReading_isJacksonsBytes(@ForAll String meter, @ForAll String address, @ForAll("decimals") BigDecimal value,
                                    @ForAll("instants") Instant sourceTime, @ForAll long status) {
        Reading reading = reading(meter.isEmpty() ? "m" : meter, value, value.negate(), sourceTime, sourceTime.plusMillis(7),
                Quality.GOOD, status, ValidationStatus.EDITED, List.of(address), address, meter, address, List.of(meter),
                Medium.GAS, Accumulation.INSTANTANEOUS, address, "kWh");
        Throwable jackson = catchFailure(() -> ReadingCodec.toJson(reading));
        try (ReadingJsonWriter writer = new ReadingJsonWriter()) {
            if (jackson == null) {
                assertThat(new String(writer.encode(reading), java.nio.charset.StandardCharsets.UTF_8))
                        .isEqualTo(ReadingCodec.toJson(reading));
            } else {
                assertThatThrownBy(() -> writer.encode(reading)).isInstanceOf(jackson.getClass());
            }
        }
    }

    /**
     * One writer keeps the last time and the last second of each time field: a time written after
     * another of the same second, of another second, outside the fast path or after a null must
     * still be exactly its own text.
     */
    @Test
    void timesAlternatingInOneWriter_areEachTheirOwnText() {
        List<Instant> times = List.of(T, T.plusMillis(100), T, T.plusNanos(1), T.plusNanos(1_000), T.plusMillis(999),
                T.plusSeconds(1), T.plusSeconds(1).plusNanos(123_456_789), T.plusSeconds(1), T.plusSeconds(86_400),
                Instant.parse("1969-12-31T23:59:59.500Z"), Instant.parse("1969-12-31T23:59:59Z"),
                Instant.parse("1500-06-01T12:00:00.000000001Z"), Instant.parse("0999-12-31T23:59:59.999Z"),
                Instant.parse("1000-01-01T00:00:00Z"), Instant.parse("+10000-01-01T00:00:00.100Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z"), T, T);
        try (ReadingJsonWriter writer = new ReadingJsonWriter()) {
            for (int i = 0; i < times.size(); i++) {
                Instant source = times.get(i);
                Instant server = i % 3 == 2 ? null : times.get(times.size() - 1 - i);
                Reading reading = reading("m" + i, BigDecimal.ONE, BigDecimal.ONE, source, server, Quality.GOOD, 0,
                        ValidationStatus.RAW, List.of(), null, null, null, List.of(), null, null, null, "kWh");
                assertThat(new String(writer.encode(reading), java.nio.charset.StandardCharsets.UTF_8)).as(source + " " + server)
                        .isEqualTo(ReadingCodec.toJson(reading));
            }
        }
    }

    /** A batch through one writer, times drawn from a few seconds with and without fractions, as a publish repeats them. */
    @Property(tries = 200)
    void aBatchThroughOneWriter_isJacksonsBytes(@ForAll @Size(min = 1, max = 40) List<@From("nearTimes") Instant> sources,
                                                @ForAll("longDecimals") BigDecimal value, @ForAll long status) {
        try (ReadingJsonWriter writer = new ReadingJsonWriter()) {
            for (int i = 0; i < sources.size(); i++) {
                Instant server = sources.get(sources.size() - 1 - i);
                Reading reading = reading("m" + i, value, value.movePointLeft(i % 4), sources.get(i), server,
                        Quality.values()[i % 3], status + i, ValidationStatus.values()[i % 5], List.of(), null, null,
                        null, List.of(), i % 7 == 0 ? null : Medium.values()[i % 6],
                        i % 5 == 0 ? null : Accumulation.values()[i % 3], null, i % 2 == 0 ? "kWh" : "kW");
                assertThat(new String(writer.encode(reading), java.nio.charset.StandardCharsets.UTF_8))
                        .isEqualTo(ReadingCodec.toJson(reading));
            }
        }
    }

    /** Decimals a long holds, written as digits by the writer, and the ones just beyond it. */
    @Test
    void decimalsAroundTheLongDigits_areJacksonsText() {
        List<BigDecimal> values = new ArrayList<>();
        for (String text : new String[] {"0", "0.000", "-0.5", "0.05", "-0.000000000000000001", "1E+3", "0E-18",
                "999999999999999999", "-999999999999999999", "0.999999999999999999", "1000000000000000000",
                "-9223372036854775808", "9223372036854775807", "1.0000000000000000000", "123456789.123456789",
                "1E-19", "12.30", "-7"}) {
            values.add(new BigDecimal(text));
        }
        values.add(BigDecimal.valueOf(Long.MIN_VALUE, 3));
        values.add(BigDecimal.valueOf(Long.MAX_VALUE, 18));
        values.add(new BigDecimal("123.456").setScale(18));
        try (ReadingJsonWriter writer = new ReadingJsonWriter()) {
            for (BigDecimal value : values) {
                Reading reading = reading("m", value, value.negate(), T, T, Quality.GOOD, Long.MIN_VALUE,
                        ValidationStatus.RAW, List.of(), null, null, null, List.of(), null, null, null, "kWh");
                assertThat(new String(writer.encode(reading), java.nio.charset.StandardCharsets.UTF_8)).as(value.toString())
                        .isEqualTo(ReadingCodec.toJson(reading));
            }
        }
    }

    @Provide
    Arbitrary<Instant> nearTimes() {
        return Arbitraries.of(T, T.plusMillis(100), T.plusNanos(3_017_200), T.plusNanos(3_017_000), T.plusSeconds(1),
                T.plusSeconds(1).plusNanos(5), T.minusSeconds(86_400).plusMillis(1), Instant.parse("1969-12-31T23:59:59.250Z"),
                Instant.parse("0999-12-31T23:59:59.999Z"));
    }

    @Provide
    Arbitrary<BigDecimal> longDecimals() {
        return TestDecimals.decimals(19, -3, 21, BigDecimal.ZERO, new BigDecimal("0.000"), new BigDecimal("-0.5"));
    }

    private static Throwable catchFailure(Runnable run) {
        try {
            run.run();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }
}
