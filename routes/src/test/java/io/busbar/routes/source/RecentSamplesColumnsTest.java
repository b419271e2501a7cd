package io.busbar.routes.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.SampleColumns;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The recent window holds its batches in columns and gives back the samples. */
class RecentSamplesColumnsTest {

    private static final Instant T0 = Instant.parse("2026-12-04T22:00:00.123456789Z");

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
        assertThat(drained.get(0)).isInstanceOf(SampleColumns.class).isEqualTo(batch);
    }
}
