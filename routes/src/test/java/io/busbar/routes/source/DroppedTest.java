package io.busbar.routes.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.SampleColumns;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A dropped batch is remembered as its nodes' slots and its newest source time, not as its samples. */
class DroppedTest {

    private static final Instant T0 = Instant.parse("2026-12-05T12:00:00Z");
    private final NodeSlots slots = new NodeSlots(List.of("ns=2;s=A", "ns=2;s=B", "ns=2;s=C"));

    @Test
    void theBatchsNodesOfThePair_andItsNewestTimeOfAnyStatus() {
        SampleColumns batch = SampleColumns.builder(4)
                .add("ns=2;s=C", 2, 1.0, T0, T0, 0L)
                .add("ns=2;s=A", 1, 1.0, T0.plusMillis(100), T0, 0x8000_0000L) // a wrong hint
                .add("ns=2;s=Other", 1.0, T0.plusMillis(200), T0, 0L)
                .add("ns=2;s=C", 2, 1.0, null, T0, 0L)
                .build();

        Dropped dropped = Dropped.of(batch, slots);

        assertThat(dropped.slots().stream().boxed().toList()).containsExactly(0, 2);
        assertThat(dropped.newest()).isEqualTo(T0.plusMillis(200));
    }

    @Test
    void aBatchWithoutTimes_readsUpToNow() {
        Dropped dropped = Dropped.of(List.of(new RawSample("ns=2;s=B", 1.0, null, null, 0L)), slots);

        assertThat(dropped.slots().stream().boxed().toList()).containsExactly(1);
        assertThat(dropped.newest()).isNull();
    }
}
