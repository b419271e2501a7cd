package io.busbar.routes.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.SampleColumns;
import io.busbar.mappings.model.ServerRole;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which nodes the active server went silent on while the partner streams them, from both servers' batches. */
class NodeLivenessTest {

    private static final Instant T0 = Instant.parse("2026-12-05T12:00:00Z");
    private static final List<String> NODES = List.of("ns=2;s=A", "ns=2;s=B", "ns=2;s=C");
    private static final long BAD = 0x8034_0000L;

    private final NodeLiveness liveness = new NodeLiveness(Duration.ofSeconds(3), new NodeSlots(NODES));

    @Test
    void aNodeLaggingThePartnerByMoreThanSilentAfter_isSilent_notOneWithinIt() {
        liveness.observe(ServerRole.PRIMARY, List.of(sample("ns=2;s=A", T0, 0L), sample("ns=2;s=B", T0, 0L)));
        liveness.observe(ServerRole.SECONDARY, List.of(
                sample("ns=2;s=A", T0.plusSeconds(3), 0L),                // lags by exactly 3 s: not yet
                sample("ns=2;s=B", T0.plusSeconds(3).plusNanos(1), 0L),   // lags by more
                sample("ns=2;s=C", T0, 0L)));                             // never seen on the primary

        assertThat(liveness.silentOn(ServerRole.PRIMARY, ServerRole.SECONDARY, NODES))
                .containsExactly("ns=2;s=B", "ns=2;s=C");
        assertThat(liveness.silentOn(ServerRole.SECONDARY, ServerRole.PRIMARY, NODES)).isEmpty();
    }

    @Test
    void badValuesAndMissingTimesDoNotCountAsAlive_anOlderValueDoesNotMoveItBack() {
        liveness.observe(ServerRole.PRIMARY, List.of(sample("ns=2;s=A", T0, 0L)));
        liveness.observe(ServerRole.PRIMARY, List.of(
                sample("ns=2;s=A", T0.plusSeconds(10), BAD),
                sample("ns=2;s=A", null, 0L),
                sample("ns=2;s=A", T0.minusSeconds(5), 0L)));
        liveness.observe(ServerRole.SECONDARY, List.of(sample("ns=2;s=A", T0.plusSeconds(4), 0L)));

        assertThat(liveness.silentOn(ServerRole.PRIMARY, ServerRole.SECONDARY, NODES)).containsExactly("ns=2;s=A");
    }

    @Test
    void aBatchsNewestGoodTime_isReturned_evenBeyondWhatNanosecondsCount_andNodesOfNoSlotAreNotTracked() {
        Instant late = Instant.parse("2300-01-01T00:00:00.5Z");
        Instant newest = liveness.observe(ServerRole.PRIMARY, List.of(
                sample("ns=2;s=A", T0, 0L), sample("ns=2;s=B", late, 0L), sample("ns=2;s=Other", T0.plusSeconds(1), 0L),
                sample("ns=2;s=C", late.plusSeconds(9), BAD)));

        assertThat(newest).isEqualTo(late);
        assertThat(liveness.observe(ServerRole.PRIMARY, List.of(sample("ns=2;s=A", null, 0L)))).isNull();
        // a partner in 1601 (a server's uninitialised clock) against a primary far in the future: not silent
        liveness.observe(ServerRole.SECONDARY, List.of(sample("ns=2;s=B", Instant.parse("1601-01-01T00:00:00Z"), 0L)));
        assertThat(liveness.silentOn(ServerRole.PRIMARY, ServerRole.SECONDARY, NODES)).isEmpty();
        assertThat(liveness.silentOn(ServerRole.SECONDARY, ServerRole.PRIMARY, NODES))
                .as("the far future against 1601: the unsigned difference, no overflow").containsExactly("ns=2;s=A", "ns=2;s=B");
    }

    @Test
    void slotsASubscriptionGives_areTheSameNodesAsLookedUp() {
        SampleColumns withSlots = SampleColumns.builder(2)
                .add("ns=2;s=B", 1, 1.0, T0, T0, 0L)
                .add("ns=2;s=C", 0, 1.0, T0, T0, 0L) // a wrong hint: looked up instead
                .build();
        liveness.observe(ServerRole.SECONDARY, withSlots);

        assertThat(liveness.silentOn(ServerRole.PRIMARY, ServerRole.SECONDARY, NODES))
                .containsExactly("ns=2;s=B", "ns=2;s=C");
    }

    private static RawSample sample(String node, Instant at, long status) {
        return new RawSample(node, 1.0, at, T0, status);
    }
}
