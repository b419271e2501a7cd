package io.busbar.routes.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.ServerRole;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StartHoldTest {

    private static final String FAST = "ns=2;s=M1.Power";
    private static final String SLOW = "ns=2;s=M1.Energy";
    private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");
    private static final Duration MAX_WAIT = Duration.ofSeconds(10);

    private final NodeCadence cadence = new NodeCadence();
    private final AtomicInteger maxSamples = new AtomicInteger(100);
    /** The nodes with a value forwarded: the gate's watermarks. */
    private final Set<String> forwarded = new HashSet<>();
    private final StartHold hold = new StartHold(cadence, maxSamples::get, forwarded::contains, MAX_WAIT);

    @BeforeEach
    void holdThePrimary() {
        hold.begin(ServerRole.PRIMARY);
    }

    private List<RawSample> admit(RawSample... samples) {
        return hold.admit(List.of(samples), T0);
    }

    private static RawSample sample(String node, long millis) {
        Instant at = T0.plusMillis(millis);
        return new RawSample(node, 1.0, at, at, 0);
    }

    @Test
    void aNodeWaitsUntilItsOwnValuesRepeatAStep_thenGoesOnWithWhatItHeld_inOrder() {
        assertThat(admit(sample(FAST, 0), sample(SLOW, 0))).isEmpty();
        assertThat(admit(sample(FAST, 100))).isEmpty();
        assertThat(admit(sample(FAST, 200))).isEmpty();
        assertThat(hold.size()).isEqualTo(4);

        List<RawSample> now = admit(sample(FAST, 300), sample(SLOW, 1_000));

        assertThat(now).as("three equal steps: its cadence, and all it held").containsExactly(
                sample(FAST, 0), sample(FAST, 100), sample(FAST, 200), sample(FAST, 300));
        assertThat(cadence.of(FAST)).isEqualTo(Duration.ofMillis(100));
        assertThat(hold.size()).as("the slow node's two values wait").isEqualTo(2);
        assertThat(admit(sample(FAST, 400))).as("known: on at once").containsExactly(sample(FAST, 400));
    }

    @Test
    void aBatchOfNodesWithKnownCadencesGoesOnAsItIs() {
        hold.learnt(List.of(sample(FAST, -400), sample(FAST, -300), sample(FAST, -200), sample(FAST, -100)));
        List<RawSample> batch = List.of(sample(FAST, 0));

        assertThat(hold.admit(batch, T0)).isSameAs(batch);
    }

    @Test
    void historySampledMeanwhile_givesTheCadence_andTheNodeGoesOn() {
        admit(sample(SLOW, 0));
        admit(sample(SLOW, 1_000));

        List<RawSample> now = hold.learnt(List.of(sample(SLOW, -5_000), sample(SLOW, -4_000), sample(SLOW, -3_000),
                sample(SLOW, -2_000)));

        assertThat(now).containsExactly(sample(SLOW, 0), sample(SLOW, 1_000));
        assertThat(cadence.of(SLOW)).isEqualTo(Duration.ofSeconds(1));
        assertThat(hold.size()).isZero();
    }

    @Test
    void theEnd_releasesEveryNodesValuesInOrder_cadenceKnownOrNot_andHoldsNoMore() {
        admit(sample(SLOW, 0), sample(FAST, 0));
        admit(sample(SLOW, 1_000), sample(FAST, 100));

        List<RawSample> all = hold.end();

        assertThat(all).containsExactly(sample(SLOW, 0), sample(SLOW, 1_000), sample(FAST, 0), sample(FAST, 100));
        assertThat(hold.holding()).isFalse();
        assertThat(hold.holding(ServerRole.PRIMARY)).isFalse();
    }

    @Test
    void beyondItsShareOfTheBudget_theHoldDropsWhatItHeld_andSaysSo() {
        maxSamples.set(3);
        hold.learnt(List.of(sample(FAST, -400), sample(FAST, -300), sample(FAST, -200), sample(FAST, -100)));
        admit(sample(SLOW, 0), sample(SLOW, 2_000));
        assertThat(hold.overflowed()).isFalse();

        List<RawSample> batch = new ArrayList<>(List.of(sample(FAST, 0), sample(SLOW, 4_000), sample(SLOW, 6_000)));
        List<RawSample> now = hold.admit(batch, T0);

        assertThat(hold.overflowed()).isTrue();
        assertThat(now).as("what had its cadence still goes on").containsExactly(sample(FAST, 0));
        assertThat(hold.holding()).isFalse();
        assertThat(hold.size()).isZero();
    }

    @Test
    void afterTheSample_aNodeWithoutCadence_sendsItsFirstValue_andHoldsTheNextUntilItsOwnStepsRepeat() {
        admit(sample(SLOW, 0));
        admit(sample(SLOW, 1_000));

        assertThat(hold.sampled(T0)).as("nothing before the first value to judge").containsExactly(sample(SLOW, 0));
        forwarded.add(SLOW);
        assertThat(admit(sample(SLOW, 3_000))).as("second 2 was skipped: nothing judges that yet").isEmpty();
        assertThat(admit(sample(SLOW, 4_000))).isEmpty();
        assertThat(admit(sample(SLOW, 5_000))).isEmpty();

        assertThat(admit(sample(SLOW, 6_000))).as("a steady step at last: all it held, in order, to be judged")
                .containsExactly(sample(SLOW, 1_000), sample(SLOW, 3_000), sample(SLOW, 4_000), sample(SLOW, 5_000),
                        sample(SLOW, 6_000));
        assertThat(cadence.of(SLOW)).isEqualTo(Duration.ofSeconds(1));
        assertThat(hold.overdue(T0.plus(MAX_WAIT))).isEmpty();
        assertThat(hold.size()).isZero();
        assertThat(hold.holding()).as("every node it saw is settled, but another node's first value may be yet to come")
                .isTrue();
        List<RawSample> batch = List.of(sample(SLOW, 7_000));
        assertThat(hold.admit(batch, T0.plus(MAX_WAIT))).as("settled: the batch goes on as it came").isSameAs(batch);
    }

    @Test
    void longAfterTheSample_aNodeFirstStreamed_sendsItsFirstValue_andHoldsTheNextUntilItsOwnStepsRepeat() {
        hold.learnt(List.of(sample(FAST, -400), sample(FAST, -300), sample(FAST, -200), sample(FAST, -100)));
        hold.sampled(T0);
        Instant anHourLater = T0.plus(Duration.ofHours(1));
        assertThat(hold.overdue(anHourLater)).isEmpty();

        long t = Duration.ofHours(1).toMillis();
        assertThat(hold.admit(List.of(sample(SLOW, t), sample(FAST, t)), anHourLater))
                .as("the new meter's first value: nothing before it to judge").containsExactly(sample(SLOW, t), sample(FAST, t));
        forwarded.add(SLOW);
        assertThat(hold.admit(List.of(sample(SLOW, t + 1_000)), anHourLater)).isEmpty();
        assertThat(hold.admit(List.of(sample(SLOW, t + 3_000)), anHourLater)).as("a slot skipped: nothing judges it yet")
                .isEmpty();
        assertThat(hold.admit(List.of(sample(SLOW, t + 4_000)), anHourLater)).isEmpty();
        assertThat(hold.admit(List.of(sample(SLOW, t + 5_000)), anHourLater)).isEmpty();

        assertThat(hold.admit(List.of(sample(SLOW, t + 6_000)), anHourLater))
                .as("its own steps repeat: all it held, in order, to be judged")
                .containsExactly(sample(SLOW, t + 1_000), sample(SLOW, t + 3_000), sample(SLOW, t + 4_000),
                        sample(SLOW, t + 5_000), sample(SLOW, t + 6_000));
        assertThat(cadence.of(SLOW)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void afterTheSample_aNodeWhoseValuesShowNoCadence_goesOnUnjudged() {
        hold.sampled(T0);
        assertThat(admit(sample(SLOW, 0))).as("its first value, after the sample").containsExactly(sample(SLOW, 0));
        forwarded.add(SLOW);
        List<RawSample> now = List.of();
        long at = 0;
        for (int i = 1; i <= StartHold.MAX_VALUES_WITHOUT_CADENCE; i++) {
            at += 1_000L * i; // steps of 1, 2, 3 ... seconds: reported on change
            now = admit(sample(SLOW, at));
        }

        assertThat(now).hasSize(StartHold.MAX_VALUES_WITHOUT_CADENCE);
        assertThat(cadence.known(SLOW)).isFalse();
        assertThat(admit(sample(SLOW, at + 100_000))).as("on at once from then on").hasSize(1);
    }

    @Test
    void afterTheSample_aNodeWaitsNoLongerThanTheLongestWait() {
        hold.sampled(T0);
        forwarded.add(SLOW);
        assertThat(hold.admit(List.of(sample(SLOW, 0)), T0)).isEmpty();

        assertThat(hold.overdue(T0.plus(MAX_WAIT).minusMillis(1))).isEmpty();
        assertThat(hold.overdue(T0.plus(MAX_WAIT))).containsExactly(sample(SLOW, 0));
        assertThat(hold.size()).isZero();
        assertThat(hold.admit(List.of(sample(SLOW, 5_000)), T0.plus(MAX_WAIT))).as("on unjudged from then on")
                .containsExactly(sample(SLOW, 5_000));
    }

    @Test
    void aSwitchover_afterTheSample_handsTheHoldOver_givingBackTheOldServersValues_before_endsIt() {
        admit(sample(SLOW, 0));
        hold.handOver(ServerRole.SECONDARY);
        assertThat(hold.holding()).as("before the sample: ended").isFalse();

        hold.begin(ServerRole.PRIMARY);
        admit(sample(SLOW, 0), sample(FAST, 0));
        hold.sampled(T0);
        forwarded.add(SLOW);
        admit(sample(SLOW, 1_000));

        assertThat(hold.handOver(ServerRole.SECONDARY)).as("what it held of the primary, given back")
                .containsExactly(sample(SLOW, 1_000));
        assertThat(hold.holding(ServerRole.SECONDARY)).isTrue();
        assertThat(hold.size()).isZero();
        assertThat(hold.admit(List.of(sample(SLOW, 2_000)), T0)).as("still no cadence: held").isEmpty();
    }
}
