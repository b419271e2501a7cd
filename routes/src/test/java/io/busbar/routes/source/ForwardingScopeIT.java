package io.busbar.routes.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.ServerRole;
import io.busbar.redundancy.RedundancyPolicy;
import io.busbar.routes.plan.BackfillPolicy;
import io.busbar.routes.plan.ForwardingScope;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A runtime in co-located mode, beside the secondary, on two real OPC UA servers: silent while the
 * primary is active, then it takes over and closes the gap from takeover time minus the overlap.
 */
class ForwardingScopeIT {

    private static final Duration OVERLAP = Duration.ofSeconds(4);

    @Test
    void besideSecondary_forwardsNothingWhilePrimaryActive_takesOverWithTheOverlapWhenItStops() {
        try (PairHarness pair = new PairHarness()) {
            SourcePairRuntime runtime = pair.start(RedundancyPolicy.defaults(), BackfillPolicy.defaults(), Optional.empty(),
                    PairHarness.mapping(), ForwardingScope.beside(ServerRole.SECONDARY, OVERLAP));
            await().atMost(Duration.ofSeconds(20)).until(() -> runtime.state().active().equals(Optional.of(ServerRole.PRIMARY)));
            // silent for longer than the overlap, so the servers' history reaches back over all of it
            await().during(OVERLAP.plusSeconds(1)).atMost(OVERLAP.plusSeconds(2)).until(() -> pair.delivered().isEmpty());
            assertThat(runtime.forwarding()).isFalse();

            Instant stopped = Instant.now();
            pair.primary.stop();
            await().atMost(Duration.ofSeconds(3)).until(runtime::forwarding);
            Instant tookOver = Instant.now(); // the takeover moment lies between stopped and this
            long last = stopped.getEpochSecond() + 3;
            await().atMost(Duration.ofSeconds(15)).until(() -> pair.lastSecond() >= last);

            pair.assertEachSecondExactlyOnce();
            assertThat(pair.delivered()).extracting(Reading::server).containsOnly(ServerRole.SECONDARY);
            long first = pair.delivered().stream().mapToLong(r -> r.sourceTime().getEpochSecond()).min().orElseThrow();
            assertThat(first).as("backfilled from takeover time minus the overlap")
                    .isBetween(stopped.minus(OVERLAP).getEpochSecond(), tookOver.minus(OVERLAP).getEpochSecond() + 1);
        }
    }
}
