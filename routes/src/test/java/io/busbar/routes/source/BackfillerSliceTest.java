package io.busbar.routes.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.ServerRole;
import io.busbar.routes.plan.BackfillPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A long gap is read in slices as long as the history's density allows: a dense history never
 * brings much more than the bound per read (the heap), a sparse one is not read in many small ones.
 */
class BackfillerSliceTest {

    private static final Instant T0 = Instant.parse("2026-12-05T00:00:00Z");
    private static final int NODES = 20;
    private static final int VALUES_PER_READ = 2_000;

    private final List<String> nodes = IntStream.range(0, NODES).mapToObj(i -> "ns=2;s=Meter" + i + ".Power").toList();
    private final FakePairServer server = new FakePairServer(ServerRole.SECONDARY, new LinkedHashSet<>(nodes));
    private final Backfiller backfiller = new Backfiller(nodes, BackfillPolicy.defaults(), VALUES_PER_READ);

    @Test
    void aGapOfSixMinutesAt10Hz_isReadInBoundedSlices_eachValueOnceAndInOrder() {
        Duration gap = Duration.ofMinutes(6);
        recordEvery(Duration.ofMillis(100), gap);
        List<RawSample> forwarded = new ArrayList<>();
        List<Integer> reads = new ArrayList<>();

        Backfiller.Result result = backfiller.run(server, watermarksAt(T0), T0.plus(gap), Duration.ZERO, slice -> {
            reads.add(slice.size());
            forwarded.addAll(slice);
            return slice.size();
        }, () -> true).orElseThrow();

        int expected = NODES * (int) (gap.toMillis() / 100); // from each watermark on: the gate drops what it passed
        assertThat(result.readings()).isEqualTo(expected);
        assertThat(result.problem()).isEmpty();
        assertThat(reads).as("values per history read").allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(2 * VALUES_PER_READ));
        Map<String, Instant> last = new HashMap<>();
        Set<String> seen = new java.util.HashSet<>();
        for (RawSample sample : forwarded) {
            assertThat(seen.add(sample.nodeId() + "@" + sample.sourceTime())).as("once: %s", sample).isTrue();
            Instant before = last.put(sample.nodeId(), sample.sourceTime());
            assertThat(before == null || sample.sourceTime().isAfter(before)).as("in order: %s", sample).isTrue();
        }
    }

    @Test
    void aSparseHistory_ofOneValueAMinuteForAnHour_isReadInFewSlices() {
        Duration gap = Duration.ofHours(1);
        recordEvery(Duration.ofMinutes(1), gap);

        Backfiller.Result result = backfiller.run(server, watermarksAt(T0), T0.plus(gap), Duration.ZERO,
                List::size, () -> true).orElseThrow();

        assertThat(result.readings()).isEqualTo(NODES * 60L);
        // 10 s, doubling to the 5-minute maximum, then 5 minutes at a time: 5 + 12, not 360 slices of 10 s
        assertThat(server.historyReads).hasSizeLessThanOrEqualTo(20);
    }

    @Test
    void theNextRun_startsWithTheSliceTheLastOneEndedWith() {
        Duration gap = Duration.ofMinutes(30);
        recordEvery(Duration.ofSeconds(10), gap);
        backfiller.run(server, watermarksAt(T0), T0.plus(Duration.ofMinutes(15)), Duration.ZERO, List::size, () -> true);
        server.historyReads.clear();

        backfiller.run(server, watermarksAt(T0.plus(Duration.ofMinutes(15))), T0.plus(gap), Duration.ZERO,
                List::size, () -> true);

        FakePairServer.HistoryRequest first = server.historyReads.get(0);
        assertThat(Duration.between(first.from(), first.to())).as("not 10 s again: the density is known")
                .isGreaterThan(Backfiller.FIRST_SLICE.multipliedBy(4));
    }

    private void recordEvery(Duration step, Duration span) {
        for (Instant at = T0; at.isBefore(T0.plus(span)); at = at.plus(step)) {
            double value = at.toEpochMilli() / 100.0;
            Map<String, Object> values = new HashMap<>();
            nodes.forEach(node -> values.put(node, value));
            server.record(at, values);
        }
    }

    private Map<String, Instant> watermarksAt(Instant at) {
        Map<String, Instant> marks = new HashMap<>();
        nodes.forEach(node -> marks.put(node, at));
        return marks;
    }
}
