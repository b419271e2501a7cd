package io.busbar.routes.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.mappings.model.RawSample;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeCadenceTest {

    private static final String NODE = "ns=2;s=Meter001.Power";
    private static final Instant T0 = Instant.parse("2026-12-04T04:24:00Z");

    private final NodeCadence cadence = new NodeCadence();

    private static RawSample at(long second) {
        return new RawSample(NODE, 1.0, T0.plusSeconds(second), T0.plusSeconds(second), 0);
    }

    private void observe(long... seconds) {
        for (long s : seconds) {
            cadence.observe(List.of(at(s)));
        }
    }

    private RawSample skipAfter(long lastForwarded, long next) {
        Map<String, Instant> forwarded = Map.of(NODE, T0.plusSeconds(lastForwarded));
        return cadence.skips(List.of(at(next)), forwarded::get).stream().findFirst().orElse(null);
    }

    @Test
    void noCadenceUntilTheStepRepeated_thenASkippedSlotIsFound() {
        observe(0, 1, 2);
        assertThat(cadence.of(NODE)).as("two steps are not yet steady").isNull();
        assertThat(skipAfter(2, 4)).isNull();

        observe(3);
        assertThat(cadence.of(NODE)).isEqualTo(Duration.ofSeconds(1));
        assertThat(skipAfter(3, 4)).as("the next slot").isNull();
        assertThat(skipAfter(3, 5)).as("one slot skipped").isEqualTo(at(5));
    }

    @Test
    void oneOddStep_aSwitchoverOrASkip_doesNotMakeTheNodeForgetItsCadence() {
        observe(0, 1, 2, 3, 6, 7);

        assertThat(cadence.of(NODE)).isEqualTo(Duration.ofSeconds(1));
        assertThat(skipAfter(7, 9)).as("a skip right after the odd step").isEqualTo(at(9));
    }

    @Test
    void aNewStepRepeatedAsOftenReplacesTheCadence() {
        observe(0, 1, 2, 3, 5, 7, 9);

        assertThat(cadence.of(NODE)).isEqualTo(Duration.ofSeconds(2));
        assertThat(skipAfter(9, 11)).as("the next slot at the new cadence").isNull();
    }

    @Test
    void aRegisterReportingOnlyOnChangeHasNoCadence() {
        observe(0, 4, 5, 13, 20, 21);

        assertThat(cadence.of(NODE)).isNull();
        assertThat(skipAfter(21, 40)).isNull();
    }

    private List<RawSample> skipsIn(Instant lastForwarded, long... seconds) {
        List<RawSample> batch = java.util.Arrays.stream(seconds).mapToObj(NodeCadenceTest::at).toList();
        return cadence.skips(batch, node -> lastForwarded);
    }

    /**
     * A publish can carry several values of a node (a publishing interval longer than its update, or
     * a stalled host: the server's first publish held its initial value and the late update): each
     * is judged against the one before it, so a node's first batch is judged too.
     */
    @Test
    void aBatchWithSeveralValuesOfANode_eachIsJudgedAgainstTheOneBeforeIt() {
        observe(0, 1, 2, 3);

        assertThat(skipsIn(null, 26, 28)).as("first batch of a node never forwarded").containsExactly(at(28));
        assertThat(skipsIn(T0.plusSeconds(26), 27, 28, 29)).as("consecutive slots").isEmpty();
        assertThat(skipsIn(T0.plusSeconds(26), 27, 29, 30)).as("a slot skipped within the batch")
                .containsExactly(at(29));
        assertThat(skipsIn(T0.plusSeconds(29), 28, 30)).as("an old value does not move the reference back").isEmpty();
    }

    @Test
    void historyOlderThanTheStreamsFirstValues_stillGivesTheCadence_butNeverReplacesOne() {
        observe(10, 11);
        assertThat(cadence.learn(List.of(at(0), at(2), at(4), at(6)))).containsExactly(NODE);
        assertThat(cadence.of(NODE)).isEqualTo(Duration.ofSeconds(2));
        assertThat(skipAfter(11, 13)).as("judged by the learnt cadence, from the stream's own last value").isNull();
        assertThat(skipAfter(11, 15)).as("a slot of 2 s skipped").isEqualTo(at(15));

        assertThat(cadence.learn(List.of(at(0), at(1), at(2), at(3)))).as("known already").isEmpty();
        assertThat(cadence.of(NODE)).isEqualTo(Duration.ofSeconds(2));
    }
}
