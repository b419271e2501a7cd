package io.busbar.routes.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.ServerRole;
import io.busbar.routes.plan.BackfillPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A read-back whose first slice showed history for every node waits before each further history
 * read (one whose nodes all had history in the server's last read-back, before its first) while its pace says the targets are behind, reads on when they caught up, and stops waiting
 * when its server is no longer the active one; one that met a node without history never waits.
 */
class BackfillerPaceTest {

    private static final Instant T0 = Instant.parse("2026-12-06T00:00:00Z");
    private static final int NODES = 20;
    /** Longer than the first slice, so that there is more to read after it. */
    private static final Duration GAP = Duration.ofMinutes(2);

    private final List<String> nodes = IntStream.range(0, NODES).mapToObj(i -> "ns=2;s=Meter" + i + ".Energy").toList();
    private final GatedPace pace = new GatedPace();
    private final List<RawSample> forwarded = new CopyOnWriteArrayList<>();

    @Test
    void whileTheTargetsAreBehind_noHistoryIsReadAfterTheFirstSlice_andOnceTheyCaughtUp_everyValueComesOnceInOrder() {
        FakePairServer server = serverWithHistoryOf(nodes);
        pace.open.set(false);
        CompletableFuture<Optional<Backfiller.Result>> run = CompletableFuture.supplyAsync(() ->
                backfiller().run(server, watermarksAt(T0), T0.plus(GAP), Duration.ZERO, this::forward, () -> true));

        await("the read-back asked its pace").atMost(Duration.ofSeconds(5)).until(() -> pace.asked.get() >= 3);
        assertThat(server.historyReads).as("history reads while the targets were behind: the first slice's").hasSize(1);
        assertThat(forwarded).as("the first slice's values, forwarded").hasSize(NODES * (int) Backfiller.FIRST_SLICE.toSeconds());
        assertThat(run).isNotDone();

        pace.open.set(true);
        Backfiller.Result result = run.join().orElseThrow();

        assertThat(result.problem()).isEmpty();
        assertThat(result.readings()).isEqualTo(NODES * GAP.toSeconds());
        assertThat(pace.waitedNanos.get()).as("the wait is reported").isPositive();
        assertEachValueOnceInOrder();
    }

    @Test
    void aReadBackOfNodesThatAllHadHistoryInTheServersLastReadBack_waitsBeforeItsFirstRead() {
        FakePairServer server = serverWithHistoryOf(nodes);
        Backfiller backfiller = backfiller();
        Instant middle = T0.plus(GAP.dividedBy(2));
        backfiller.run(server, watermarksAt(T0), middle, Duration.ZERO, this::forward, () -> true).orElseThrow();
        int readsBefore = server.historyReads.size();
        int forwardedBefore = forwarded.size();
        pace.open.set(false);

        CompletableFuture<Optional<Backfiller.Result>> run = CompletableFuture.supplyAsync(() ->
                backfiller.run(server, watermarksAt(middle), T0.plus(GAP), Duration.ZERO, this::forward, () -> true));

        await("the read-back asked its pace").atMost(Duration.ofSeconds(5)).until(() -> pace.asked.get() >= 3);
        assertThat(server.historyReads).as("history reads while the targets were behind").hasSize(readsBefore);
        assertThat(forwarded).hasSize(forwardedBefore);
        pace.open.set(true);
        Backfiller.Result result = run.join().orElseThrow();

        assertThat(result.problem()).isEmpty();
        assertThat(result.readings()).isEqualTo(NODES * GAP.dividedBy(2).toSeconds());
        assertEachValueOnceInOrder();
    }

    @Test
    void onceTheServerWasForgotten_itsNextReadBackReadsItsFirstSliceBeforeWaiting() {
        // it was a standby meanwhile: real servers delete and re-create nodes there, history and all
        FakePairServer server = serverWithHistoryOf(nodes);
        Backfiller backfiller = backfiller();
        // one slice only: the next read-back's first slice (twice as long) leaves more to read after it
        Instant middle = T0.plus(Backfiller.FIRST_SLICE);
        backfiller.run(server, watermarksAt(T0), middle, Duration.ZERO, this::forward, () -> true).orElseThrow();
        int readsBefore = server.historyReads.size();
        backfiller.forget(ServerRole.PRIMARY);
        pace.open.set(false);

        CompletableFuture<Optional<Backfiller.Result>> run = CompletableFuture.supplyAsync(() ->
                backfiller.run(server, watermarksAt(middle), T0.plus(GAP), Duration.ZERO, this::forward, () -> true));

        await("the read-back asked its pace").atMost(Duration.ofSeconds(5)).until(() -> pace.asked.get() >= 3);
        assertThat(server.historyReads).as("history reads while the targets were behind: the first slice's")
                .hasSize(readsBefore + 1);
        pace.open.set(true);
        assertThat(run.join().orElseThrow().readings()).isEqualTo(NODES * GAP.minus(Backfiller.FIRST_SLICE).toSeconds());
        assertEachValueOnceInOrder();
    }

    @Test
    void aReadBackThatWaits_endsWhenItsServerIsNoLongerActive_withTheUnreadNodesNamed() {
        FakePairServer server = serverWithHistoryOf(nodes);
        pace.open.set(false);
        AtomicBoolean active = new AtomicBoolean(true);
        CompletableFuture<Optional<Backfiller.Result>> run = CompletableFuture.supplyAsync(() ->
                backfiller().run(server, watermarksAt(T0), T0.plus(GAP), Duration.ZERO, this::forward, active::get));
        await().atMost(Duration.ofSeconds(5)).until(() -> pace.asked.get() >= 2);

        active.set(false);
        Backfiller.Result result = run.join().orElseThrow();

        assertThat(result.problem()).hasValue("the primary server stopped being active");
        assertThat(result.failedNodes()).containsOnlyKeys(nodes);
        assertThat(result.readings()).isEqualTo(NODES * Backfiller.FIRST_SLICE.toSeconds());
        assertThat(server.historyReads).hasSize(1);
    }

    @Test
    void aNodeWithoutHistory_makesTheReadBackGoOnWithoutWaiting() {
        // its values live only in the live stream held behind the read-back: waiting could overflow it
        FakePairServer server = serverWithHistoryOf(nodes.subList(1, NODES));
        pace.open.set(false);

        Backfiller.Result result = backfiller().run(server, watermarksAt(T0), T0.plus(GAP), Duration.ZERO,
                this::forward, () -> true).orElseThrow();

        assertThat(result.failedNodes()).containsOnlyKeys(nodes.get(0));
        assertThat(result.readings()).isEqualTo((NODES - 1) * GAP.toSeconds());
        assertThat(pace.asked.get()).as("questions to the pace").isZero();
    }

    private void assertEachValueOnceInOrder() {
        Set<String> seen = new HashSet<>();
        Map<String, Instant> last = new HashMap<>();
        for (RawSample sample : forwarded) {
            assertThat(seen.add(sample.nodeId() + "@" + sample.sourceTime())).as("once: %s", sample).isTrue();
            Instant before = last.put(sample.nodeId(), sample.sourceTime());
            assertThat(before == null || sample.sourceTime().isAfter(before)).as("in order: %s", sample).isTrue();
        }
    }

    /** 2,000 values per read: the first slice (10 s of 20 nodes at 1 Hz) is one read. */
    private Backfiller backfiller() {
        return new Backfiller(nodes, BackfillPolicy.defaults(), 2_000, pace);
    }

    private FakePairServer serverWithHistoryOf(List<String> historized) {
        FakePairServer server = new FakePairServer(ServerRole.PRIMARY, new LinkedHashSet<>(historized));
        for (Instant at = T0; at.isBefore(T0.plus(GAP)); at = at.plusSeconds(1)) {
            Map<String, Object> values = new HashMap<>();
            double value = at.getEpochSecond();
            nodes.forEach(node -> values.put(node, value));
            server.record(at, values);
        }
        return server;
    }

    private int forward(List<RawSample> slice) {
        forwarded.addAll(slice);
        return slice.size();
    }

    private Map<String, Instant> watermarksAt(Instant at) {
        Map<String, Instant> marks = new HashMap<>();
        nodes.forEach(node -> marks.put(node, at));
        return marks;
    }

    /** A pace the test opens and closes; it counts the questions and the time waited. */
    private static final class GatedPace implements ReadBackPace {
        final AtomicBoolean open = new AtomicBoolean(true);
        final AtomicLong asked = new AtomicLong();
        final AtomicLong waitedNanos = new AtomicLong();

        @Override
        public boolean mayRead() {
            asked.incrementAndGet();
            return open.get();
        }

        @Override
        public void waited(Duration time) {
            waitedNanos.addAndGet(time.toNanos());
        }
    }
}
