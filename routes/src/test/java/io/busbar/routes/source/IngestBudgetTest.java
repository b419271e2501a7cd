package io.busbar.routes.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.mappings.model.RawSample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One budget for the instance: pairs share it, and what a pair's share does not hold is let go. */
class IngestBudgetTest {

    private static final Instant T0 = Instant.parse("2026-12-04T19:00:00Z");

    @Test
    void pairsShareOneBudget_andAStoppedPairsShareGoesToTheOthers() {
        IngestBudget budget = new IngestBudget(1_000, 4_000);
        IngestBudget.Share first = budget.join();
        assertThat(first.queuedLimit()).isEqualTo(1_000);
        assertThat(first.recentLimit()).as("per server of the pair").isEqualTo(2_000);

        IngestBudget.Share second = budget.join();
        assertThat(first.queuedLimit()).isEqualTo(500);
        assertThat(second.recentLimit()).isEqualTo(1_000);

        second.close();
        second.close(); // a pair closed twice (close after abandon) gives its share back once
        assertThat(first.queuedLimit()).isEqualTo(1_000);
        assertThat(first.recentLimit()).isEqualTo(2_000);
    }

    @Test
    void heapBudget_isASixteenthOfTheHeapEach_forTheWholeInstance() {
        long heap = 128L * 1024 * 1024;
        IngestBudget.Share only = new IngestBudget(heap).join();
        int queued = (int) (heap / 16 / IngestBudget.BYTES_PER_HELD_SAMPLE);
        assertThat(only.queuedLimit()).isEqualTo(queued);
        assertThat(only.recentLimit()).isEqualTo(queued / 2);
    }

    @Test
    void recentSamples_followTheShare_droppingTheOldestBatchesWhenAPairJoins() {
        IngestBudget budget = new IngestBudget(100, 40); // 20 samples per server with one pair
        IngestBudget.Share share = budget.join();
        RecentSamples recent = new RecentSamples(Duration.ofMinutes(1), share::recentLimit);
        for (int second = 0; second < 4; second++) {
            recent.add(batch(second, 5), T0.plusSeconds(second));
        }
        assertThat(recent.size()).isEqualTo(20);

        budget.join(); // a second pair starts: this server may hold 10 now
        recent.add(batch(4, 5), T0.plusSeconds(4));
        assertThat(recent.size()).isEqualTo(10);
        assertThat(recent.drain()).extracting(b -> b.get(0).sourceTime())
                .containsExactly(T0.plusSeconds(3), T0.plusSeconds(4));
    }

    @Test
    void aPinnedWindowThatIsFull_keepsItsOldestBatches_andSaysItOverflowed() {
        RecentSamples recent = new RecentSamples(Duration.ofMinutes(1), () -> 10);
        recent.pin();
        for (int second = 0; second < 4; second++) {
            recent.add(batch(second, 5), T0.plusSeconds(second));
        }

        assertThat(recent.overflowed()).isTrue();
        assertThat(recent.complete(T0.plusSeconds(4))).isFalse();
        assertThat(recent.drain()).as("the read-back that follows reads up to now: the oldest are the ones to keep")
                .extracting(b -> b.get(0).sourceTime()).containsExactly(T0, T0.plusSeconds(1));
    }

    private static List<RawSample> batch(int second, int nodes) {
        List<RawSample> batch = new ArrayList<>();
        for (int node = 0; node < nodes; node++) {
            batch.add(new RawSample("ns=2;s=N" + node, (double) second, T0.plusSeconds(second), T0.plusSeconds(second), 0));
        }
        return batch;
    }
}
