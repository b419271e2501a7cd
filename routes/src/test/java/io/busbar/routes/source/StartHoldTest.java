package io.busbar.routes.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.ServerRole;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StartHoldTest {

    private static final String FAST = "ns=2;s=M1.Power";
    private static final String SLOW = "ns=2;s=M1.Energy";
    private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

    private final NodeCadence cadence = new NodeCadence();
    private final AtomicInteger maxSamples = new AtomicInteger(100);
    private final StartHold hold = new StartHold(cadence, maxSamples::get);

    @BeforeEach
    void holdThePrimary() {
        hold.begin(ServerRole.PRIMARY);
    }

    private static RawSample sample(String node, long millis) {
        Instant at = T0.plusMillis(millis);
        return new RawSample(node, 1.0, at, at, 0);
    }

    @Test
    void aNodeWaitsUntilItsOwnValuesRepeatAStep_thenGoesOnWithWhatItHeld_inOrder() {
        assertThat(hold.admit(List.of(sample(FAST, 0), sample(SLOW, 0)))).isEmpty();
        assertThat(hold.admit(List.of(sample(FAST, 100)))).isEmpty();
        assertThat(hold.admit(List.of(sample(FAST, 200)))).isEmpty();
        assertThat(hold.size()).isEqualTo(4);

        List<RawSample> now = hold.admit(List.of(sample(FAST, 300), sample(SLOW, 1_000)));

        assertThat(now).as("three equal steps: its cadence, and all it held").containsExactly(
                sample(FAST, 0), sample(FAST, 100), sample(FAST, 200), sample(FAST, 300));
        assertThat(cadence.of(FAST)).isEqualTo(Duration.ofMillis(100));
        assertThat(hold.size()).as("the slow node's two values wait").isEqualTo(2);
        assertThat(hold.admit(List.of(sample(FAST, 400)))).as("known: on at once").containsExactly(sample(FAST, 400));
    }

    @Test
    void aBatchOfNodesWithKnownCadencesGoesOnAsItIs() {
        hold.learnt(List.of(sample(FAST, -400), sample(FAST, -300), sample(FAST, -200), sample(FAST, -100)));
        List<RawSample> batch = List.of(sample(FAST, 0));

        assertThat(hold.admit(batch)).isSameAs(batch);
    }

    @Test
    void historySampledMeanwhile_givesTheCadence_andTheNodeGoesOn() {
        hold.admit(List.of(sample(SLOW, 0)));
        hold.admit(List.of(sample(SLOW, 1_000)));

        List<RawSample> now = hold.learnt(List.of(sample(SLOW, -5_000), sample(SLOW, -4_000), sample(SLOW, -3_000),
                sample(SLOW, -2_000)));

        assertThat(now).containsExactly(sample(SLOW, 0), sample(SLOW, 1_000));
        assertThat(cadence.of(SLOW)).isEqualTo(Duration.ofSeconds(1));
        assertThat(hold.size()).isZero();
    }

    @Test
    void theEnd_releasesEveryNodesValuesInOrder_cadenceKnownOrNot_andHoldsNoMore() {
        hold.admit(List.of(sample(SLOW, 0), sample(FAST, 0)));
        hold.admit(List.of(sample(SLOW, 1_000), sample(FAST, 100)));

        List<RawSample> all = hold.end();

        assertThat(all).containsExactly(sample(SLOW, 0), sample(SLOW, 1_000), sample(FAST, 0), sample(FAST, 100));
        assertThat(hold.holding()).isFalse();
        assertThat(hold.holding(ServerRole.PRIMARY)).isFalse();
    }

    @Test
    void beyondItsShareOfTheBudget_theHoldDropsWhatItHeld_andSaysSo() {
        maxSamples.set(3);
        hold.learnt(List.of(sample(FAST, -400), sample(FAST, -300), sample(FAST, -200), sample(FAST, -100)));
        hold.admit(List.of(sample(SLOW, 0), sample(SLOW, 2_000)));
        assertThat(hold.overflowed()).isFalse();

        List<RawSample> batch = new ArrayList<>(List.of(sample(FAST, 0), sample(SLOW, 4_000), sample(SLOW, 6_000)));
        List<RawSample> now = hold.admit(batch);

        assertThat(hold.overflowed()).isTrue();
        assertThat(now).as("what had its cadence still goes on").containsExactly(sample(FAST, 0));
        assertThat(hold.holding()).isFalse();
        assertThat(hold.size()).isZero();
    }
}
