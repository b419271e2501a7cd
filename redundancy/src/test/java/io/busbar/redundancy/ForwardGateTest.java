package io.busbar.redundancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ForwardGateTest {

    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");
    private final ForwardGate gate = new ForwardGate();

    @Test
    void aTimeHeldByABatchPassesOnlyOnceTheBatchIsCommitted() {
        ForwardGate.Mark mark = gate.mark("a");

        assertThat(mark.hold(T0, 1)).isTrue();
        assertThat(gate.isNew("a", T0)).isTrue();
        assertThat(gate.snapshot()).isEmpty();

        mark.commit();

        assertThat(mark.passed(T0)).isTrue();
        assertThat(mark.passed(T0.plusMillis(1))).isFalse();
        assertThat(gate.isNew("a", T0)).isFalse();
        assertThat(gate.snapshot()).isEqualTo(Map.of("a", T0));
        assertThat(gate.find("a")).isSameAs(mark);
        assertThat(gate.find("b")).isNull();
    }

    @Test
    void withinABatchARepeatOrAnOlderTimeOfTheNodeIsNotHeld_aLaterOneIs() {
        ForwardGate.Mark mark = gate.mark("a");

        assertThat(mark.hold(T0, 7)).isTrue();
        assertThat(mark.hold(T0, 7)).isFalse();
        assertThat(mark.hold(T0.minusSeconds(1), 7)).isFalse();
        assertThat(mark.hold(T0.plusSeconds(1), 7)).isTrue();
        mark.commit();

        assertThat(gate.lastForwarded("a")).contains(T0.plusSeconds(1));
    }

    @Test
    void aBatchThatWasNotCommittedLeavesTheWatermark_andTheNextBatchMayHoldTheSameTime() {
        ForwardGate.Mark mark = gate.mark("a");
        gate.markForwarded("a", T0);
        mark.hold(T0.plusSeconds(1), 1); // the sink refused batch 1

        assertThat(mark.hold(T0.plusSeconds(1), 2)).isTrue();
        assertThat(gate.lastForwarded("a")).contains(T0);
        mark.commit();
        assertThat(gate.lastForwarded("a")).contains(T0.plusSeconds(1));
    }

    @Test
    void theWatermarkNeverMovesBack_andTheOldestIsAcrossNodes() {
        gate.restore(Map.of("a", T0.plusSeconds(5), "b", T0.plusSeconds(2)));
        gate.markForwarded("a", T0);
        gate.mark("c"); // looked at, nothing forwarded: not a watermark

        assertThat(gate.lastForwarded("a")).contains(T0.plusSeconds(5));
        assertThat(gate.oldestWatermark()).contains(T0.plusSeconds(2));
        assertThat(gate.snapshot()).containsOnlyKeys("a", "b");
        assertThat(new ForwardGate().oldestWatermark()).isEmpty();
    }
}
