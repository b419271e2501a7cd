package io.busbar.routes.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.ServerRole;
import io.busbar.redundancy.ForwardGate;
import io.busbar.redundancy.PairSelector;
import io.busbar.redundancy.RedundancyPolicy;
import io.busbar.support.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SlotSkipsTest {

    private static final String NODE = "ns=2;s=Meter001.Power";
    private static final Instant T0 = Instant.parse("2026-12-05T04:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final NodeCadence cadence = new NodeCadence();
    private final ForwardGate gate = new ForwardGate();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private SlotSkips skips;

    private static List<RawSample> at(long second) {
        return List.of(new RawSample(NODE, 1.0, T0.plusSeconds(second), T0.plusSeconds(second), 0));
    }

    @BeforeEach
    void steadyOneSecondCadence_forwardedUpToSecondThree() {
        PairMeters meters = new PairMeters("plant", registry,
                new PairSelector("plant", RedundancyPolicy.defaults(), true, clock), new AtomicInteger(), role -> 0);
        skips = new SlotSkips("plant", clock, cadence, gate, meters);
        for (long s = 0; s <= 3; s++) {
            cadence.observe(at(s));
        }
        gate.markForwarded(NODE, T0.plusSeconds(3));
    }

    @Test
    void theNextSlot_isForwarded() {
        assertThat(skips.readBackIn(ServerRole.PRIMARY, at(4))).isNull();
    }

    @Test
    void aSkippedSlot_isReadBackAtOnce_aSecondSkipWithinThePeriodWaitsForItsEnd_nothingIsAHole() {
        assertThat(skips.readBackIn(ServerRole.PRIMARY, at(5))).as("first skip")
                .isEqualTo(new SlotSkips.ReadBack(Duration.ZERO, Set.of(NODE)));

        gate.markForwarded(NODE, T0.plusSeconds(5));
        clock.set(T0.plus(SlotSkips.READBACK_PERIOD).minusSeconds(1));
        assertThat(skips.readBackIn(ServerRole.PRIMARY, at(7)).in()).as("within the period: at its end")
                .isEqualTo(Duration.ofSeconds(1));

        gate.markForwarded(NODE, T0.plusSeconds(7));
        clock.set(T0.plus(SlotSkips.READBACK_PERIOD).plusSeconds(1));
        assertThat(skips.readBackIn(ServerRole.PRIMARY, at(9)).in()).as("one period after the deferred one")
                .isEqualTo(Duration.ofSeconds(4));
        clock.set(T0.plus(SlotSkips.READBACK_PERIOD.multipliedBy(2)));
        gate.markForwarded(NODE, T0.plusSeconds(9));
        assertThat(skips.readBackIn(ServerRole.PRIMARY, at(11)).in()).as("a period after the last").isEqualTo(
                Duration.ofSeconds(5));
        assertThat(registry.get("busbar.source.skipped.slots").counter().count()).isEqualTo(4.0);
    }
}
