package io.busbar.routes.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.ServerRole;
import io.busbar.redundancy.ForwardGate;
import io.busbar.redundancy.PairSelector;
import io.busbar.redundancy.RedundancyPolicy;
import io.busbar.support.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SlotSkipsTest {

    private static final String NODE = "ns=2;s=Meter001.Power";
    private static final Instant T0 = Instant.parse("2026-12-05T04:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final NodeCadence cadence = new NodeCadence();
    private final ForwardGate gate = new ForwardGate();
    private final Completeness completeness = new Completeness();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private SlotSkips skips;

    private static List<RawSample> at(long second) {
        return List.of(new RawSample(NODE, 1.0, T0.plusSeconds(second), T0.plusSeconds(second), 0));
    }

    @BeforeEach
    void steadyOneSecondCadence_forwardedUpToSecondThree() {
        PairMeters meters = new PairMeters("plant", registry,
                new PairSelector("plant", RedundancyPolicy.defaults(), true, clock), new AtomicInteger(), role -> 0);
        skips = new SlotSkips("plant", clock, cadence, gate, completeness, meters);
        for (long s = 0; s <= 3; s++) {
            cadence.observe(at(s));
        }
        gate.markForwarded(NODE, T0.plusSeconds(3));
    }

    @Test
    void theNextSlot_isForwarded() {
        assertThat(skips.readBackFirst(ServerRole.PRIMARY, at(4))).isFalse();
        assertThat(completeness.holes()).isEmpty();
    }

    @Test
    void aSkippedSlot_isReadBack_aSecondSkipWithinThePeriodIsAHole_afterItReadBackAgain() {
        assertThat(skips.readBackFirst(ServerRole.PRIMARY, at(5))).as("first skip").isTrue();

        gate.markForwarded(NODE, T0.plusSeconds(5));
        clock.set(T0.plus(SlotSkips.READBACK_PERIOD).minusSeconds(1));
        assertThat(skips.readBackFirst(ServerRole.PRIMARY, at(7))).as("within the period").isFalse();
        assertThat(completeness.holes()).singleElement().satisfies(hole -> {
            assertThat(hole.from()).isEqualTo(T0.plusSeconds(5));
            assertThat(hole.to()).isEqualTo(T0.plusSeconds(7));
            assertThat(hole.server()).isEqualTo("primary");
        });

        gate.markForwarded(NODE, T0.plusSeconds(7));
        clock.set(T0.plus(SlotSkips.READBACK_PERIOD));
        assertThat(skips.readBackFirst(ServerRole.PRIMARY, at(9))).as("after the period").isTrue();
        assertThat(registry.get("busbar.source.skipped.slots").counter().count()).isEqualTo(3.0);
    }
}
