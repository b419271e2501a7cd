package io.busbar.routes.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.mappings.model.RawSample;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A held batch in columns reads back exactly the samples it was made of. */
class HeldSamplesTest {

    private static final Instant T0 = Instant.parse("2026-12-04T22:00:00.123456789Z");

    @Test
    void aPublishOfDoubles_readsBackEqual_inColumns() {
        List<RawSample> batch = new ArrayList<>();
        Instant server = T0.plusMillis(7);
        for (int i = 0; i < 1_000; i++) {
            batch.add(new RawSample("ns=2;s=Meter" + i, i * 0.25 - 3.5, T0, server, 0L));
        }
        batch.add(new RawSample("ns=2;s=Nan", Double.NaN, T0, server, 0L));
        batch.add(new RawSample("ns=2;s=NegativeZero", -0.0, T0, server, 0L));

        List<RawSample> held = HeldSamples.of(batch);

        assertThat(held).isInstanceOf(HeldSamples.class).isEqualTo(batch);
        assertThat(held.get(1_001).value()).isEqualTo(-0.0); // Double.equals tells -0.0 from 0.0
    }

    @Test
    void otherValues_nullTimes_andStatusesWithTheHighBits_readBackEqual() {
        List<RawSample> batch = List.of(
                new RawSample("a", 42L, T0, null, 0L),
                new RawSample("b", null, null, T0, 0x8034_0000L),          // Bad_NodeIdUnknown, no value
                new RawSample("c", "text", T0.plusSeconds(1), T0, 0x4000_0000L),
                new RawSample("d", new BigDecimal("1.50"), T0, T0, 0xFFFF_FFFFL),
                new RawSample("e", 1.5, T0, T0, 0L));

        List<RawSample> held = HeldSamples.of(batch);

        assertThat(held).isInstanceOf(HeldSamples.class).isEqualTo(batch);
        HeldSamples columns = (HeldSamples) held;
        assertThat(columns.nodeId(1)).isEqualTo("b");
        assertThat(columns.sourceTime(1)).isNull();
        assertThat(columns.statusCode(1)).isEqualTo(0x8034_0000L);
        assertThat(columns.sourceTime(2)).isEqualTo(T0.plusSeconds(1));
    }

    @Test
    void aServerTimePerValue_asServersStampThem_isHeldInColumnsToo() {
        List<RawSample> batch = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            batch.add(new RawSample("n" + i, (double) i, T0, T0.plusNanos(4_000L * i), 0L));
        }
        assertThat(HeldSamples.of(batch)).isInstanceOf(HeldSamples.class).isEqualTo(batch);
    }

    @Test
    void timesAtTheEndsOfWhatNanosecondsCanCount_areHeld_andBeyondThemTheBatchIsKept() {
        List<RawSample> inRange = List.of(
                new RawSample("old", 1.0, Instant.parse("1678-01-01T00:00:00.000000001Z"), T0, 0L),
                new RawSample("new", 1.0, Instant.parse("2261-12-31T23:59:59.999999999Z"), T0, 0L),
                new RawSample("before1970", 1.0, Instant.parse("1969-12-31T23:59:59.5Z"), T0, 0L));
        assertThat(HeldSamples.of(inRange)).isInstanceOf(HeldSamples.class).isEqualTo(inRange);

        List<RawSample> opcUaMinimum = List.of(new RawSample("n", 1.0, Instant.parse("1601-01-01T00:00:00Z"), T0, 0L));
        assertThat(HeldSamples.of(opcUaMinimum)).isSameAs(opcUaMinimum);
        List<RawSample> far = List.of(new RawSample("n", 1.0, T0, Instant.MAX, 0L));
        assertThat(HeldSamples.of(far)).isSameAs(far);
    }

    @Test
    void aStatusBeyond32Bits_keepsTheBatchAsItWas() {
        List<RawSample> batch = List.of(new RawSample("n", 1.0, T0, T0, 1L << 32));
        assertThat(HeldSamples.of(batch)).isSameAs(batch);
    }

    @Test
    void anyBatch_readsBackEqual() {
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
            assertThat(HeldSamples.of(batch)).as("round %d", round).isEqualTo(batch);
        }
    }

    @Test
    void recentSamples_holdColumns_andGiveBackTheSamples() {
        RecentSamples recent = new RecentSamples(Duration.ofSeconds(60), () -> 10_000);
        List<RawSample> batch = List.of(new RawSample("a", 1.0, T0, T0, 0L), new RawSample("b", 2.0, T0, T0, 0L));
        recent.add(batch, T0);
        recent.add(List.of(new RawSample("a", 3.0, T0.plusSeconds(1), T0.plusSeconds(1), 0L)), T0.plusSeconds(1));

        assertThat(recent.size()).isEqualTo(3);
        assertThat(recent.newestGood()).containsEntry("a", T0.plusSeconds(1)).containsEntry("b", T0);
        assertThat(recent.samplesOf(java.util.Set.of("b"))).containsExactly(batch.get(1));
        List<List<RawSample>> drained = recent.drain();
        assertThat(drained).hasSize(2);
        assertThat(drained.get(0)).isInstanceOf(HeldSamples.class).isEqualTo(batch);
    }
}
