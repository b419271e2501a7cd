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
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

class ReadingChunkCodecTest {

    @Property
    void anyDecimalAndTime_roundTripExactly(@ForAll("decimals") BigDecimal value, @ForAll("decimals") BigDecimal raw,
                                            @ForAll("instants") Instant sourceTime, @ForAll String meter) {
        Reading reading = reading(value, raw, meter, sourceTime);

        List<Reading> back = ReadingChunkCodec.decode(ReadingChunkCodec.encode(List.of(reading)));

        assertThat(back).containsExactly(reading);
        assertThat(back.get(0).value().scale()).as("same scale, not only the same number").isEqualTo(value.scale());
    }

    @Property(tries = 300)
    void everyField_roundTrips_andRepeatedTextsAreSharedSafely(
            @ForAll @Size(max = 4) List<@StringLength(max = 24) String> flags,
            @ForAll @Size(max = 4) List<@StringLength(max = 24) String> groups,
            @ForAll @StringLength(max = 24) String serial, @ForAll @StringLength(max = 24) String account,
            @ForAll @StringLength(max = 64) String address, @ForAll Medium medium, @ForAll Accumulation accumulation,
            @ForAll ValidationStatus validation, @ForAll ServerRole server, @ForAll String pair, @ForAll String unit,
            @ForAll long status) {
        Instant at = Instant.parse("2024-03-31T00:15:00Z");
        List<Reading> batch = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String meter = i == 2 ? serial : "M" + i; // a text first seen in one field, then in another
            batch.add(new Reading(ReadingKey.of(pair, meter, "1-0:1.8.0", at.plusMillis(i)), pair, server, meter,
                    "1-0:1.8.0", new BigDecimal("1.5"), unit, BigDecimal.TEN, at.plusMillis(i / 2), i == 1 ? null : at,
                    Quality.ofStatusCode(status), status, validation, flags, serial, account, address, groups, medium,
                    accumulation, i == 0 ? null : "T" + i));
        }

        assertThat(ReadingChunkCodec.decode(ReadingChunkCodec.encode(batch))).isEqualTo(batch);
    }

    @Example
    void nullableFieldsMayAllBeNull() {
        Instant at = Instant.parse("2024-03-31T00:15:00Z");
        Reading bare = new Reading("k", "p", null, "m", "q", null, null, null, at, null, null, 0);

        assertThat(ReadingChunkCodec.decode(ReadingChunkCodec.encode(List.of(bare)))).containsExactly(bare);
    }

    @Example
    void isMuchSmallerThanTheJsonBatch() {
        List<Reading> batch = new ArrayList<>();
        Instant at = Instant.parse("2026-12-04T03:00:00Z");
        for (int m = 0; m < 500; m++) {
            batch.add(reading(new BigDecimal(m + ".125"), BigDecimal.valueOf(m * 125L), "Meter" + m, at));
        }

        int binary = ReadingChunkCodec.encode(batch).length;
        int json = ReadingCodec.toJsonBatch(batch).length;

        assertThat(binary).as("binary %d bytes vs JSON %d", binary, json).isLessThan(json / 3);
    }

    @Example
    void decodeAny_readsTheJsonBatchesOfEarlierVersions() {
        List<Reading> batch = List.of(reading(BigDecimal.ONE, BigDecimal.TEN, "M1", Instant.EPOCH));

        assertThat(ReadingChunkCodec.decodeAny(ReadingCodec.toJsonBatch(batch))).isEqualTo(batch);
        assertThat(ReadingChunkCodec.decodeAny(ReadingChunkCodec.encode(batch))).isEqualTo(batch);
        assertThat(ReadingChunkCodec.isChunk(ReadingCodec.toJsonBatch(batch))).isFalse();
    }

    @Example
    void unknownVersion_isRefusedWithItsNumber() {
        byte[] chunk = ReadingChunkCodec.encode(List.of(reading(BigDecimal.ONE, BigDecimal.TEN, "M1", Instant.EPOCH)));
        chunk[2] = 9;

        assertThatThrownBy(() -> ReadingChunkCodec.decode(chunk)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown version 9");
    }

    /** A journal written by the version before (every key written out) still drains after the upgrade. */
    @Example
    void chunksOfVersion1_stillDecode() {
        Instant at = Instant.parse("2026-12-04T03:00:00Z");
        List<Reading> batch = List.of(reading(BigDecimal.ONE, BigDecimal.TEN, "M1", at),
                new Reading("made/elsewhere", "p", null, "m", "q", null, null, null, at, null, null, 0));

        byte[] v1 = ReadingChunkCodec.encode(batch, 1);

        assertThat(v1[2]).isEqualTo((byte) 1);
        assertThat(ReadingChunkCodec.decode(v1)).isEqualTo(batch);
    }

    /**
     * Derived keys are not stored, so a reading is about half the bytes of version 1; a key that is
     * not the derived one (here: another time, another separator) is kept exactly.
     */
    @Example
    void derivedKeysAreLeftOut_othersKept() {
        Instant at = Instant.parse("2026-12-04T03:00:00.100Z");
        List<Reading> derived = new ArrayList<>();
        for (int m = 0; m < 500; m++) {
            derived.add(reading(new BigDecimal(m + ".125"), BigDecimal.valueOf(m * 125L), "Meter" + m, at));
        }
        Reading otherTime = new Reading(ReadingKey.of("p", "m", "q", at.plusMillis(1)), "p", null, "m", "q", null, null,
                null, at, null, null, 0);
        Reading otherShape = new Reading("p-m-q-" + at, "p", null, "m", "q", null, null, null, at, null, null, 0);
        Reading prefixOnly = new Reading("p/m/q/", "p", null, "m", "q", null, null, null, at, null, null, 0);

        int v2 = ReadingChunkCodec.encode(derived).length;
        int v1 = ReadingChunkCodec.encode(derived, 1).length;
        List<Reading> kept = List.of(otherTime, otherShape, prefixOnly);

        assertThat(v2).as("version 2 %d bytes vs version 1 %d", v2, v1).isLessThan(v1 * 2 / 3);
        assertThat(ReadingChunkCodec.decode(ReadingChunkCodec.encode(derived))).isEqualTo(derived);
        assertThat(ReadingChunkCodec.decode(ReadingChunkCodec.encode(kept))).isEqualTo(kept);
    }

    /**
     * The decoder keeps its own last source time text for derived keys: times that alternate within a
     * chunk, with and without a fraction, before 1970 and outside the fast format, each get their own
     * key, whatever time ReadingKey formatted last meanwhile.
     */
    @Example
    void derivedKeysOfAlternatingTimes_areEachTheirOwn() {
        List<Instant> times = List.of(Instant.parse("2026-12-05T06:33:02Z"), Instant.parse("2026-12-05T06:33:02.100Z"),
                Instant.parse("1969-12-31T23:59:59.999999999Z"), Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("2026-12-05T06:33:02Z"));
        List<Reading> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            batch.add(reading(BigDecimal.ONE, BigDecimal.ONE, "Meter" + i, times.get(i % times.size())));
        }
        byte[] chunk = ReadingChunkCodec.encode(batch);
        ReadingKey.of("p", "m", "q", Instant.parse("2030-01-01T00:00:00Z")); // another thread's last time

        List<Reading> decoded = ReadingChunkCodec.decode(chunk);

        assertThat(decoded).isEqualTo(batch);
        assertThat(decoded).extracting(Reading::key).containsExactlyElementsOf(batch.stream().map(Reading::key).toList());
    }

    /** A chunk cut anywhere is refused with an error, never decoded into fewer or wrong readings. */
    @Property(tries = 200)
    void truncatedChunk_isRefused(@ForAll @IntRange(min = 0, max = 10_000) int cut) {
        List<Reading> batch = new ArrayList<>();
        for (int m = 0; m < 3; m++) {
            batch.add(reading(new BigDecimal("12.5"), BigDecimal.ONE, "M" + m, Instant.EPOCH.plusSeconds(m)));
        }
        byte[] chunk = ReadingChunkCodec.encode(batch);
        byte[] truncated = Arrays.copyOf(chunk, cut % chunk.length);

        assertThatThrownBy(() -> ReadingChunkCodec.decode(truncated)).isInstanceOf(IllegalArgumentException.class);
    }

    @Provide
    Arbitrary<BigDecimal> decimals() {
        return TestDecimals.decimals(40, -30, 60, BigDecimal.ZERO, new BigDecimal("0.00"), new BigDecimal("100.0"),
                BigDecimal.valueOf(Long.MIN_VALUE), BigDecimal.valueOf(Long.MAX_VALUE, 3));
    }

    @Provide
    Arbitrary<Instant> instants() {
        return Combinators.combine(
                        Arbitraries.longs().between(Instant.MIN.getEpochSecond() + 1, Instant.MAX.getEpochSecond() - 1),
                        Arbitraries.integers().between(0, 999_999_999))
                .as(Instant::ofEpochSecond);
    }

    private static Reading reading(BigDecimal value, BigDecimal raw, String meter, Instant sourceTime) {
        return new Reading(ReadingKey.of("plant-a", meter, "1-0:1.8.0", sourceTime), "plant-a", ServerRole.SECONDARY,
                meter, "1-0:1.8.0", value, "kWh", raw, sourceTime, sourceTime.plusMillis(250), Quality.ofStatusCode(0), 0);
    }
}
