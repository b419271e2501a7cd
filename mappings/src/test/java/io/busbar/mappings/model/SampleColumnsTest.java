package io.busbar.mappings.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A batch in columns reads back exactly the samples it was made of, and scans see what get() gives. */
class SampleColumnsTest {

    private static final Instant T0 = Instant.parse("2026-12-04T22:00:00.123456789Z");

    @Test
    void aPublishOfDoubles_readsBackEqual() {
        List<RawSample> batch = new ArrayList<>();
        Instant server = T0.plusMillis(7);
        for (int i = 0; i < 1_000; i++) {
            batch.add(new RawSample("ns=2;s=Meter" + i, i * 0.25 - 3.5, T0, server, 0L));
        }
        batch.add(new RawSample("ns=2;s=Nan", Double.NaN, T0, server, 0L));
        batch.add(new RawSample("ns=2;s=NegativeZero", -0.0, T0, server, 0L));

        SampleColumns columns = SampleColumns.of(batch);

        assertThat(columns).isEqualTo(batch);
        assertThat(columns.get(1_001).value()).isEqualTo(-0.0); // Double.equals tells -0.0 from 0.0
        assertThat(SampleColumns.of(columns)).isSameAs(columns);
    }

    @Test
    void otherValues_nullTimes_andStatusesWithTheHighBits_readBackEqual() {
        List<RawSample> batch = List.of(
                new RawSample("a", 42L, T0, null, 0L),
                new RawSample("b", null, null, T0, 0x8034_0000L),          // Bad_NodeIdUnknown, no value
                new RawSample("c", "text", T0.plusSeconds(1), T0, 0x4000_0000L),
                new RawSample("d", new BigDecimal("1.50"), T0, T0, 0xFFFF_FFFFL),
                new RawSample("e", 1.5, T0, T0, 0L),
                new RawSample("f", 1.0, T0, T0, 1L << 32));

        SampleColumns columns = SampleColumns.of(batch);

        assertThat(columns).isEqualTo(batch);
        assertThat(columns.nodeId(1)).isEqualTo("b");
        assertThat(columns.value(1)).isNull();
        assertThat(columns.sourceTime(1)).isNull();
        assertThat(columns.statusCode(1)).isEqualTo(0x8034_0000L);
        assertThat(columns.sourceTime(2)).isEqualTo(T0.plusSeconds(1));
    }

    @Test
    void timesAtAndBeyondTheEndsOfWhatNanosecondsCount_readBackEqual() {
        List<RawSample> batch = List.of(
                new RawSample("old", 1.0, Instant.parse("1678-01-01T00:00:00.000000001Z"), T0, 0L),
                new RawSample("new", 1.0, Instant.parse("2261-12-31T23:59:59.999999999Z"), T0, 0L),
                new RawSample("before1970", 1.0, Instant.parse("1969-12-31T23:59:59.5Z"), T0, 0L),
                new RawSample("opcUaMinimum", 1.0, Instant.parse("1601-01-01T00:00:00Z"), T0, 0L),
                new RawSample("far", 1.0, T0, Instant.MAX, 0L),
                new RawSample("farBack", 1.0, Instant.MIN, Instant.parse("1601-01-01T00:00:00Z"), 0L));

        assertThat(SampleColumns.of(batch)).isEqualTo(batch);
    }

    @Test
    void nanos_refusesWhatDoesNotFit() {
        assertThat(SampleColumns.nanos(1, 5)).isEqualTo(1_000_000_005L);
        assertThat(SampleColumns.nanos(-1, -5)).isEqualTo(-1_000_000_005L);
        assertThat(SampleColumns.nanos(9_300_000_000L, 0)).isEqualTo(Long.MIN_VALUE);
        assertThat(SampleColumns.nanos(-9_300_000_000L, 0)).isEqualTo(Long.MIN_VALUE);
        assertThat(SampleColumns.nanos(0, 1_000_000_000L)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void anyBatch_readsBackEqual_andScansSeeWhatGetGives() {
        Random random = new Random(12);
        for (int round = 0; round < 300; round++) {
            List<RawSample> batch = new ArrayList<>();
            int size = 1 + random.nextInt(200);
            boolean mixed = random.nextBoolean();
            for (int i = 0; i < size; i++) {
                Instant source = random.nextInt(10) == 0 ? null : T0.plusNanos(random.nextLong() % 1_000_000_000_000_000L);
                Instant server = random.nextInt(10) == 0 ? null : T0.plus(Duration.ofMillis(random.nextInt(20)));
                Object value = mixed && random.nextBoolean() ? (Object) random.nextLong() : random.nextDouble();
                long status = random.nextBoolean() ? 0L : random.nextInt() & 0xFFFF_FFFFL;
                batch.add(new RawSample("ns=2;s=N" + random.nextInt(50), value, source, server, status));
            }
            SampleColumns columns = SampleColumns.of(batch);
            assertThat(columns).as("round %d", round).isEqualTo(batch);
            List<RawSample> scanned = new ArrayList<>();
            SampleColumns.scan(columns, (index, nodeId, sourceTime, statusCode) -> scanned.add(
                    new RawSample(nodeId, batch.get(index).value(), sourceTime, batch.get(index).serverTime(), statusCode)));
            assertThat(scanned).as("round %d", round).isEqualTo(batch);
        }
    }

    /**
     * A read-back's order, node by node through the same seconds: each time is made into one
     * Instant, not one per sample; and times more than the remembered ones (hash neighbours among
     * them) still read back equal.
     */
    @Test
    void aReadBackNodeByNode_sharesOneInstantPerTime_andManyTimesReadBackEqual() {
        List<RawSample> batch = new ArrayList<>();
        int slots = 600; // a minute at 10 Hz: more times than the table starts with
        for (int node = 0; node < 20; node++) {
            for (int slot = 0; slot < slots; slot++) {
                batch.add(new RawSample("n" + node, (double) slot, T0.plusMillis(100L * slot), T0, 0L));
            }
        }
        for (int i = 0; i < 1_000; i++) {
            batch.add(new RawSample("many", (double) i, T0.plusMillis(100L * i).plusNanos(i % 3), T0, 0L));
        }
        SampleColumns columns = SampleColumns.of(batch);

        assertThat(columns).isEqualTo(batch);
        for (int slot = 0; slot < slots; slot++) {
            columns.sourceTime(slot); // the first node: each time made once
        }
        for (int node = 10; node < 20; node++) { // the table has grown to hold the node's run by then
            for (int slot = 0; slot < slots; slot++) {
                assertThat(columns.sourceTime(node * slots + slot)).isSameAs(columns.sourceTime(9 * slots + slot));
            }
        }
    }

    /** A page's count reserved at once: the samples read back as added, before and after the reserve. */
    @Test
    void aBuilderReservesRoomForAPage_andKeepsWhatItHad() {
        SampleColumns.Builder builder = SampleColumns.builder(1);
        List<RawSample> expected = new ArrayList<>();
        for (int page = 0; page < 3; page++) {
            builder.reserve(page == 1 ? 0 : 25);
            for (int i = 0; i < 25; i++) {
                Instant at = T0.plusMillis(100L * (page * 25 + i));
                builder.add("n" + i, page == 2 && i == 3 ? "text" : (Object) (double) i, at, at, i);
                expected.add(new RawSample("n" + i, page == 2 && i == 3 ? "text" : (Object) (double) i, at, at, i));
            }
        }
        assertThat(builder.build()).isEqualTo(expected);
    }

    @Test
    void aBuilderGrowsBeyondItsExpectedSize_andTakesTimesAsNanoseconds() {
        SampleColumns.Builder builder = SampleColumns.builder(1);
        List<RawSample> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Instant at = T0.plusMillis(100L * i);
            Object value = i % 7 == 0 ? "v" + i : (Object) (double) i;
            long nanos = SampleColumns.nanos(at.getEpochSecond(), at.getNano());
            builder.add("n" + i, value, i % 5 != 0, nanos, true, nanos, 0L);
            expected.add(new RawSample("n" + i, value, i % 5 != 0 ? at : null, at, 0L));
        }
        assertThat(builder.size()).isEqualTo(40);
        assertThat(builder.build()).isEqualTo(expected);
    }

    @Test
    void slotsAreKeptWhereGiven_andAreNoSlotElsewhere_acrossGrowth() {
        SampleColumns.Builder builder = SampleColumns.builder(1);
        builder.add("a", 1.0, true, 5L, true, 5L, 0L);                      // before any slot: none
        builder.add("b", 7, 2.0, true, 6L, true, 6L, 0L);
        builder.add("c", 3.0, T0, T0, 0L);                                  // no slot after one was given
        builder.add("d", 0, "text", Instant.parse("2300-01-01T00:00:00Z"), T0, 0L);
        SampleColumns columns = builder.build();

        assertThat(List.of(columns.slot(0), columns.slot(1), columns.slot(2), columns.slot(3)))
                .containsExactly(SampleColumns.NO_SLOT, 7, SampleColumns.NO_SLOT, 0);
        assertThat(SampleColumns.of(List.of(new RawSample("e", 1.0, T0, T0, 0L))).slot(0)).isEqualTo(SampleColumns.NO_SLOT);
    }

    @Test
    void sourceNanosOrderAsTheTimes_timesBeyondTheRangeAtItsEnds_noneAtTheBottom() {
        Instant early = Instant.parse("1601-01-01T00:00:00Z");
        Instant late = Instant.parse("2300-01-01T00:00:00Z");
        SampleColumns columns = SampleColumns.of(List.of(
                new RawSample("none", 1.0, null, T0, 0L),
                new RawSample("early", 1.0, early, T0, 0L),
                new RawSample("before1970", 1.0, Instant.parse("1969-12-31T23:59:59.5Z"), T0, 0L),
                new RawSample("now", 1.0, T0, T0, 0L),
                new RawSample("late", 1.0, late, T0, 0L)));

        assertThat(columns.sourceNanos(0)).isEqualTo(Long.MIN_VALUE);
        assertThat(columns.sourceNanos(1)).isEqualTo(Long.MIN_VALUE + 1);
        assertThat(columns.sourceNanos(2)).isEqualTo(-500_000_000L);
        assertThat(columns.sourceNanos(3)).isEqualTo(T0.getEpochSecond() * 1_000_000_000L + T0.getNano());
        assertThat(columns.sourceNanos(4)).isEqualTo(Long.MAX_VALUE);
        assertThat(columns.sourceTime(1)).isEqualTo(early);
        assertThat(columns.sourceTime(4)).isEqualTo(late);
    }

    @Test
    void batchesAddedWhole_readBackAsTheirSamplesInOrder_withTheirSlots() {
        SampleColumns doubles = SampleColumns.builder(2)
                .add("a", 3, 1.0, T0, T0, 0L)
                .add("b", 4, 2.0, T0.plusMillis(1), T0, 0L)
                .build();
        SampleColumns others = SampleColumns.of(List.of(
                new RawSample("c", "text", Instant.parse("2300-01-01T00:00:00Z"), null, 0x8000_0000L),
                new RawSample("d", null, null, Instant.parse("1601-01-01T00:00:00Z"), 0L)));

        SampleColumns joined = SampleColumns.builder(1).addAll(others).addAll(doubles).addAll(others).build();

        List<RawSample> expected = new ArrayList<>(others);
        expected.addAll(doubles);
        expected.addAll(others);
        assertThat(joined).isEqualTo(expected);
        assertThat(List.of(joined.slot(0), joined.slot(2), joined.slot(3), joined.slot(5)))
                .containsExactly(SampleColumns.NO_SLOT, 3, 4, SampleColumns.NO_SLOT);
        assertThat(SampleColumns.builder(4).addAll(doubles).build()).isEqualTo(doubles);
    }
}
