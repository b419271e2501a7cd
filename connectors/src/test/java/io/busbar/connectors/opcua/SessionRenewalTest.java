package io.busbar.connectors.opcua;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A server that fails every creation gets a new session at once, then after a doubling delay, never in a hot loop. */
class SessionRenewalTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private final SessionRenewal renewal = new SessionRenewal(Duration.ofSeconds(5), Duration.ofSeconds(30));
    private final long start = System.nanoTime();

    @Test
    void nothingAskedFor_nothingDue() {
        assertThat(renewal.pending()).isFalse();
        assertThat(renewal.due(start)).isFalse();
    }

    @Test
    void theFirstRenewalRunsAtOnce_thoseInARowAfterADoublingDelay_upToTheMax() {
        long now = start;
        renewal.request("first");
        assertThat(renewal.due(now)).isTrue();
        renewal.renewed(now);
        assertThat(renewal.pending()).isFalse();

        for (long delay : new long[] {5, 10, 20, 30, 30}) {
            renewal.request("again");
            assertThat(renewal.due(now + delay * SECOND - 1)).as("before %d s", delay).isFalse();
            assertThat(renewal.pending()).isTrue();
            now += delay * SECOND;
            assertThat(renewal.due(now)).as("after %d s", delay).isTrue();
            renewal.renewed(now);
        }
    }

    @Test
    void aReconcileThatCreatedEverything_makesTheNextRenewalRunAtOnce() {
        renewal.request("first");
        renewal.renewed(start);
        renewal.settled(start + SECOND);

        renewal.request("later");
        assertThat(renewal.due(start + SECOND)).isTrue();
    }

    @Test
    void aSecondRequestKeepsTheFirstReason() {
        renewal.request("timed out");
        renewal.request("connection lost");
        assertThat(renewal.reason()).isEqualTo("timed out");
    }
}
