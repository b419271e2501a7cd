package io.busbar.routes.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.connectors.opcua.OpcUaSourceOptions;
import io.busbar.mappings.Mapping;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.Register;
import io.busbar.mappings.model.ServerRole;
import io.busbar.redundancy.RedundancyPolicy;
import io.busbar.routes.plan.BackfillPolicy;
import io.busbar.routes.plan.ForwardingScope;
import io.busbar.routes.plan.ServerPlan;
import io.busbar.routes.plan.SourcePairPlan;
import io.busbar.support.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pair's engine driven by scripted servers and a clock the test moves: what reaches the buffer
 * at a switchover, node by node, without a network or a wall-clock wait for seconds to pass.
 */
class SourcePairEngineTest {

    private static final String ENERGY = "ns=2;s=M1.Energy";
    private static final String POWER = "ns=2;s=M1.Power";
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final List<Reading> delivered = new ArrayList<>();
    private final Map<ServerRole, FakePairServer> servers = new LinkedHashMap<>();
    private SourcePairRuntime runtime;
    private IngestBudget budget = IngestBudget.shared();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private BackfillPolicy backfillPolicy = BackfillPolicy.defaults();
    /** Open unless a test holds the buffer: the pair's loop waits in the sink then, as on a slow journal. */
    private volatile CountDownLatch bufferOpen = new CountDownLatch(0);
    private volatile CountDownLatch bufferEntered = new CountDownLatch(1);

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void primaryCrash_hotStandbyStreamFillsWhatItsHistoryLacks_eachSecondOnce_noHole() {
        start(Set.of(ENERGY), Set.of(ENERGY));
        for (int s = 0; s < 5; s++) {
            streamBoth(s);
        }
        awaitDelivered(10);

        // the primary dies after second 4; the standby goes on streaming seconds 5 and 6 before the
        // failure is noticed: its history has the energy register, only its stream has the power
        servers.get(ServerRole.SECONDARY).stream(at(5), values(5));
        servers.get(ServerRole.SECONDARY).stream(at(6), values(6));
        clock.set(at(7));
        servers.get(ServerRole.PRIMARY).connected(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> runtime.state().active().equals(Optional.of(ServerRole.SECONDARY)));
        servers.get(ServerRole.SECONDARY).stream(at(7), values(7));
        awaitDelivered(16);

        assertEachSecondOnce(0, 7);
        assertThat(runtime.holes()).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> runtime.lastBackfill().isPresent());
        assertThat(runtime.lastBackfill().get().nodesWithoutHistory()).isEqualTo(1);
        assertThat(runtime.lastBackfill().get().unfilled()).isZero();
    }

    @Test
    void loopBehindTheServer_dropsWhatExceedsThePairsShare_countsIt_andReadsItBackFromHistory() throws Exception {
        budget = new IngestBudget(2, 1_000); // one publish of the two registers may wait for the loop
        start(Set.of(ENERGY, POWER), Set.of(ENERGY, POWER));
        FakePairServer primary = servers.get(ServerRole.PRIMARY);
        primary.stream(at(0), values(0));
        awaitDelivered(2);

        CountDownLatch held = new CountDownLatch(1);
        bufferOpen = held;
        bufferEntered = new CountDownLatch(1);
        clock.set(at(1));
        primary.stream(at(1), values(1)); // the loop takes it and waits in the buffer
        assertThat(bufferEntered.await(5, TimeUnit.SECONDS)).isTrue();
        clock.set(at(2));
        primary.stream(at(2), values(2)); // waits in the queue: the share is full
        clock.set(at(3));
        primary.stream(at(3), values(3)); // beyond the share: dropped, counted
        assertThat(runtime.droppedSamples()).isEqualTo(2);

        clock.set(at(4));
        held.countDown();
        awaitDelivered(8);
        assertEachSecondOnce(0, 3); // second 3 came from the primary's history, once
        assertThat(runtime.holes()).isEmpty();
    }

    @Test
    void nodeNeitherStreamedNorHistorized_isAHoleWithItsLength_andTheOtherNodeIsBackfilled() {
        start(Set.of(ENERGY), Set.of(ENERGY));
        for (int s = 0; s < 5; s++) { // power has no history: its own four values give its cadence
            streamBoth(s);
        }
        awaitDelivered(10);

        // both servers measure seconds 5..7 but stream nothing (frozen link); the primary then dies
        servers.values().forEach(server -> {
            for (int s = 5; s <= 7; s++) {
                server.record(at(s), values(s));
            }
        });
        clock.set(at(8));
        servers.get(ServerRole.PRIMARY).connected(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> runtime.state().active().equals(Optional.of(ServerRole.SECONDARY)));
        servers.get(ServerRole.SECONDARY).stream(at(8), values(8));
        awaitDelivered(10 + 4 + 1);

        assertThat(seconds(ENERGY_SERIES)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(seconds(POWER_SERIES)).containsExactly(0L, 1L, 2L, 3L, 4L, 8L);
        assertThat(runtime.holes()).singleElement().satisfies(hole -> {
            assertThat(hole.nodes()).isEqualTo(1);
            assertThat(hole.from()).isEqualTo(at(4));
            assertThat(hole.to()).isEqualTo(at(8));
            assertThat(hole.server()).isEqualTo("secondary");
            assertThat(hole.reason()).contains("no history for 1 node(s)").contains(POWER);
        });
        assertThat(runtime.unfilledSeconds()).isEqualTo(4.0);
        assertThat(runtime.recentHole()).isTrue();
    }

    @Test
    void firstActivation_valuesStreamedBeforeTheSelectionAreForwarded() {
        start(Set.of(ENERGY, POWER), Set.of(ENERGY, POWER), false);
        servers.get(ServerRole.PRIMARY).connected(false);
        runtime.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> servers.get(ServerRole.SECONDARY).subscribed());
        // the primary is preferred and gets its start-up grace: the secondary's first values wait
        servers.get(ServerRole.SECONDARY).stream(at(0), values(0));
        clock.set(at(4));
        await().atMost(Duration.ofSeconds(5)).until(() -> runtime.state().active().equals(Optional.of(ServerRole.SECONDARY)));
        for (int s = 1; s <= 3; s++) { // no history: the first value goes, the rest once their steps repeat
            servers.get(ServerRole.SECONDARY).stream(at(s), values(s));
        }
        awaitDelivered(8);
        assertEachSecondOnce(0, 3);
    }

    @Test
    void nodeSilentOnTheActiveServer_isFilledFromTheHotPartner_andItsItemCreatedAgain() {
        start(Set.of(ENERGY), Set.of(ENERGY));
        for (int s = 0; s < 5; s++) {
            streamBoth(s);
        }
        awaitDelivered(10);

        // the primary stops updating the power node (a dead item, a stuck driver); all else is fine
        for (int s = 5; s < 10; s++) {
            clock.set(at(s));
            servers.get(ServerRole.PRIMARY).stream(at(s), Map.of(ENERGY, 1000.0 + s));
            servers.get(ServerRole.SECONDARY).stream(at(s), values(s));
        }
        awaitDelivered(20);

        assertEachSecondOnce(0, 9);
        assertThat(runtime.state().active()).contains(ServerRole.PRIMARY);
        // the partner's values are forwarded first, the item is created again after: the last
        // reading can reach the target before the request reaches the server
        await().atMost(Duration.ofSeconds(5)).until(() -> !servers.get(ServerRole.PRIMARY).recreated.isEmpty());
        assertThat(servers.get(ServerRole.PRIMARY).recreated).singleElement().isEqualTo(List.of(POWER));
        synchronized (delivered) {
            assertThat(delivered).filteredOn(r -> r.quantity().equals("1-0:1.7.0") && r.server() == ServerRole.SECONDARY)
                    .as("power while silent on the primary").isNotEmpty();
        }
    }

    @Test
    void switchover_standbyWindowLostBatches_nodesTheStandbyStreamedAreNotCreatedAgain() {
        // the standby streams power, then energy, each its own publish: its window ends with energy only
        FakePairServer secondary = switchOverToStandbyThatStreamed(s -> List.of(
                Map.of(POWER, 5.0 + s), Map.of(ENERGY, 1000.0 + s)));
        // time goes on: a batch arriving while the switchover's read-back runs overflows this tiny
        // window, and the next round reads it from history up to now (a frozen clock would end that
        // read before the batch's own second)
        clock.set(at(7).plusMillis(200));
        secondary.stream(at(7), values(7));
        awaitDelivered(16);
        assertThat(secondary.recreated).as("power streamed while standing by: not silent").isEmpty();
    }

    @Test
    void switchover_standbyWindowLostBatches_aNodeTheStandbyNeverDeliveredIsCreatedAgain() {
        // power's item is dead on the standby; energy comes twice, so the window loses a batch
        FakePairServer secondary = switchOverToStandbyThatStreamed(s -> List.of(
                Map.of(ENERGY, 1000.0 + s), Map.of(ENERGY, 1000.0 + s)));
        await().atMost(Duration.ofSeconds(5)).until(() -> !secondary.recreated.isEmpty());
        assertThat(secondary.recreated.get(0)).containsExactly(POWER);
    }

    @Test
    void liveStreamSkipsASlot_itIsReadBackFromHistory_inOrder_andWithoutHistoryItIsAHole() {
        start(Set.of(ENERGY), Set.of(ENERGY));
        for (int s = 0; s < 5; s++) {
            streamBoth(s);
        }
        awaitDelivered(10);

        // second 5 was set late: both servers have it in history (energy only), neither streamed it
        servers.values().forEach(server -> server.record(at(5), values(5)));
        streamBoth(6);
        streamBoth(7);
        awaitDelivered(10 + 1 + 4);

        assertThat(seconds(ENERGY_SERIES)).as("energy, the skipped second read back in order")
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(seconds(POWER_SERIES)).containsExactly(0L, 1L, 2L, 3L, 4L, 6L, 7L);
        assertThat(servers.get(ServerRole.PRIMARY).historyReads).last()
                .as("the live server's own skip is read from the watermarks its own values set: no overlap")
                .extracting(FakePairServer.HistoryRequest::from).isEqualTo(at(4));
        assertThat(runtime.holes()).singleElement().satisfies(hole -> {
            assertThat(hole.from()).isEqualTo(at(4));
            assertThat(hole.to()).isEqualTo(at(6));
            assertThat(hole.nodes()).isEqualTo(1);
        });
    }

    @Test
    void firstActivation_historyBeforeTheStartGivesTheCadence_butIsNotForwarded() {
        start(Set.of(ENERGY), Set.of(ENERGY), false);
        recordBeforeStart(5);
        runtime.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> runtime.state().active().equals(Optional.of(ServerRole.PRIMARY)));
        streamBoth(0);
        awaitDelivered(2);

        // second 1 was set late: in history, in neither stream; only energy's cadence is known yet
        servers.values().forEach(server -> server.record(at(1), values(1)));
        streamBoth(2);
        awaitDelivered(2 + 1 + 1);

        assertThat(seconds(ENERGY_SERIES)).as("from the first live second on, the skipped one read back")
                .containsExactly(0L, 1L, 2L);
        assertThat(seconds(POWER_SERIES)).as("power has no history: its next values wait for its own cadence")
                .containsExactly(0L);
        for (int s = 3; s <= 5; s++) {
            streamBoth(s);
        }
        awaitDelivered(6 + 5);
        assertThat(seconds(POWER_SERIES)).containsExactly(0L, 2L, 3L, 4L, 5L);
        assertThat(runtime.holes()).as("its skipped second, found once its steps repeat: counted, not passed silently")
                .singleElement().satisfies(hole -> {
                    assertThat(hole.from()).isEqualTo(at(0));
                    assertThat(hole.to()).isEqualTo(at(2));
                    assertThat(hole.nodes()).isEqualTo(1);
                });
        FakePairServer primary = servers.get(ServerRole.PRIMARY);
        assertThat(primary.historySamples).as("the history before the start: sampled once, both nodes")
                .singleElement().satisfies(sample -> assertThat(sample.nodeIds()).containsExactlyInAnyOrder(ENERGY, POWER));
        assertThat(primary.historyReads).as("read whole: only the skipped second's read-back, never before the start")
                .allSatisfy(read -> assertThat(read.to()).isAfter(at(0)));
    }

    @Test
    void firstActivation_historyTooShortForACadence_aSlotSkippedInTheFirstSecondsIsReadBack() {
        start(Set.of(ENERGY, POWER), Set.of(ENERGY, POWER), false);
        recordBeforeStart(2); // the servers started two seconds before Busbar: one step, no cadence
        runtime.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> runtime.state().active().equals(Optional.of(ServerRole.PRIMARY)));
        streamBoth(0);
        awaitDelivered(2);
        streamBoth(1);

        // second 2 was set late: in history, in neither stream, while no cadence is known yet
        servers.values().forEach(server -> server.record(at(2), values(2)));
        for (int s = 3; s <= 6; s++) {
            streamBoth(s);
        }
        awaitDelivered(2 * 7);

        assertEachSecondOnce(0, 6);
        assertThat(runtime.holes()).isEmpty();
    }

    @Test
    void firstActivation_aNodeGoesOnOnceItsOwnValuesGiveItsCadence_theOthersWaitForTheHistorySample() {
        start(Set.of(ENERGY, POWER), Set.of(ENERGY, POWER), false);
        recordBeforeStart(5);
        FakePairServer primary = servers.get(ServerRole.PRIMARY);
        CompletableFuture<Void> sampleAnswered = primary.holdSamples();
        runtime.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> runtime.state().active().equals(Optional.of(ServerRole.PRIMARY)));

        // energy every second, power twice: two values do not make a cadence
        for (int s = 0; s < 4; s++) {
            clock.set(at(s));
            primary.stream(at(s), s < 2 ? values(s) : Map.of(ENERGY, 1000.0 + s));
        }
        awaitDelivered(4);
        assertThat(seconds(ENERGY_SERIES)).as("energy's four values made its cadence: on while the sample waits")
                .containsExactly(0L, 1L, 2L, 3L);
        assertThat(seconds(POWER_SERIES)).as("power waits for the sample").isEmpty();
        assertThat(runtime.backfilling()).as("the start holds no stream").isFalse();

        sampleAnswered.complete(null);
        awaitDelivered(6);
        assertThat(seconds(POWER_SERIES)).as("its cadence from history, judged in order").containsExactly(0L, 1L);
        assertThat(primary.historyReads).as("nothing read whole: no gap, no overflow").isEmpty();
        clock.set(at(4));
        primary.stream(at(4), Map.of(ENERGY, 1004.0));
        awaitDelivered(7);
        assertThat(seconds(ENERGY_SERIES)).as("the live stream after the start").containsExactly(0L, 1L, 2L, 3L, 4L);
    }

    @Test
    void aMeterFirstStreamedLongAfterTheStart_aSlotItSkipsInItsFirstSecondsIsReadBack() {
        start(Set.of(ENERGY, POWER), Set.of(ENERGY, POWER), false);
        for (int s = -5; s < 0; s++) {
            int second = s;
            servers.values().forEach(server -> server.record(at(second), Map.of(ENERGY, 1000.0 + second)));
        }
        runtime.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> runtime.state().active().equals(Optional.of(ServerRole.PRIMARY)));
        int late = (int) SourcePairRuntime.MAX_CADENCE_WAIT.multipliedBy(3).toSeconds();
        for (int s = 0; s < late; s++) {
            clock.set(at(s));
            int second = s;
            servers.values().forEach(server -> server.stream(at(second), Map.of(ENERGY, 1000.0 + second)));
        }
        awaitDelivered(late);

        // power comes online long after the start's hold settled; its third second was set late:
        // in history, not streamed, while no cadence of it is known yet
        int skipped = late + 2;
        for (int s = late; s <= late + 6; s++) {
            if (s == skipped) {
                clock.set(at(skipped));
                servers.values().forEach(server -> {
                    server.record(at(skipped), Map.of(POWER, 5.0 + skipped));
                    server.stream(at(skipped), Map.of(ENERGY, 1000.0 + skipped));
                });
            } else {
                streamBoth(s);
            }
        }
        awaitDelivered(late + 7 + 7);

        assertEachSecondOnce(POWER_SERIES, late, late + 6);
        assertEachSecondOnce(ENERGY_SERIES, 0, late + 6);
        assertThat(runtime.holes()).isEmpty();
    }

    @Test
    void firstActivation_aHoldBeyondItsBudget_readsItsNodesFromTheStreamsStart_samplingOnlyCadencesStillUnknown() {
        budget = new IngestBudget(1_000, 4); // two samples held per server
        start(Set.of(ENERGY, POWER), Set.of(ENERGY, POWER), false);
        FakePairServer primary = servers.get(ServerRole.PRIMARY);
        for (int s = -5; s < 0; s++) {
            primary.record(at(s), Map.of(ENERGY, 1000.0 + s)); // power was not historized before the start
        }
        CompletableFuture<Void> sampleAnswered = primary.holdSamples();
        runtime.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> runtime.state().active().equals(Optional.of(ServerRole.PRIMARY)));

        primary.stream(at(0), values(0));
        clock.set(at(1).plusMillis(200)); // the publish arrives 200 ms after its source time
        primary.stream(at(1), values(1)); // four held: beyond the budget, dropped, read from history
        sampleAnswered.complete(null);
        awaitDelivered(4);

        assertEachSecondOnce(0, 1);
        assertThat(primary.historySamples).as("the start's sample, then the read-back's: power alone")
                .extracting(FakePairServer.HistoryRequest::nodeIds)
                .containsExactly(List.of(ENERGY, POWER), List.of(POWER));
    }

    @Test
    void switchover_aRegisterUnchangedForLong_readsItsOwnGap_theOthersOnlyTheirs() {
        FakePairServer secondary = switchOverAfterPowerUnchangedFor30Seconds();
        await().atMost(Duration.ofSeconds(5)).until(() -> secondary.historyReads.stream()
                .anyMatch(read -> read.nodeIds().contains(ENERGY)));

        Duration overlap = BackfillPolicy.DEFAULT_OVERLAP;
        // in slices of time (as many as the history's density asks), each read of one node's gap alone
        assertThat(secondary.historyReads).extracting(FakePairServer.HistoryRequest::nodeIds)
                .containsOnly(List.of(POWER), List.of(ENERGY));
        assertThat(secondary.historyReads).filteredOn(read -> read.nodeIds().contains(POWER))
                .as("power from its own watermark").first()
                .extracting(FakePairServer.HistoryRequest::from).isEqualTo(at(0).minus(overlap));
        assertThat(secondary.historyReads).filteredOn(read -> read.nodeIds().contains(ENERGY))
                .as("energy from its own watermark, never before it")
                .extracting(FakePairServer.HistoryRequest::from)
                .startsWith(at(29).minus(overlap)).allMatch(from -> !from.isBefore(at(29).minus(overlap)));
        assertThat(runtime.holes()).isEmpty();
    }

    @Test
    void switchover_aRegisterUnchangedForLongerThanMaxWindow_isAHoleOfThatNodeAlone() {
        backfillPolicy = new BackfillPolicy(BackfillPolicy.DEFAULT_OVERLAP, Duration.ofSeconds(20));
        switchOverAfterPowerUnchangedFor30Seconds();
        await().atMost(Duration.ofSeconds(5)).until(() -> !runtime.holes().isEmpty());

        assertThat(runtime.holes()).singleElement().satisfies(hole -> {
            assertThat(hole.from()).isEqualTo(at(0));
            assertThat(hole.to()).isEqualTo(at(10));
            assertThat(hole.nodes()).as("power alone: energy's gap lies within the window").isEqualTo(1);
        });
    }

    /** Seconds 0-4 streamed by both; second 5 set late (history only), read back when 6 comes. */
    private void startThenSkipSecondFive() {
        start(Set.of(ENERGY, POWER), Set.of(ENERGY, POWER));
        for (int s = 0; s < 5; s++) {
            streamBoth(s);
        }
        awaitDelivered(10);
        servers.values().forEach(server -> server.record(at(5), values(5)));
        streamBoth(6);
        awaitDelivered(14); // 5 read back, then 6
    }

    /** Power reports on change and does not change after second 0; energy goes on every second to 29. */
    private FakePairServer switchOverAfterPowerUnchangedFor30Seconds() {
        start(Set.of(ENERGY, POWER), Set.of(ENERGY, POWER));
        streamBoth(0);
        awaitDelivered(2);
        for (int s = 1; s < 30; s++) {
            int second = s;
            clock.set(at(second));
            servers.values().forEach(server -> server.stream(at(second), Map.of(ENERGY, 1000.0 + second)));
        }
        awaitDelivered(2 + 29);

        clock.set(at(30));
        servers.get(ServerRole.PRIMARY).connected(false);
        return servers.get(ServerRole.SECONDARY);
    }

    @Test
    void publishesLostForGood_theirTimeIsReadBackFromHistoryAtOnce() {
        streamUpToSecondFourThenLoseSecondFive(Set.of(ENERGY));
        awaitDelivered(11);

        assertThat(seconds(ENERGY_SERIES)).as("read back before any later publish").containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void aFollowUpReadBackThatFindsNothingNew_leavesTheRoundThatRecoveredInHealth() {
        streamUpToSecondFourThenLoseSecondFive(Set.of(ENERGY, POWER));
        awaitDelivered(12);
        await().atMost(Duration.ofSeconds(5)).until(() -> backfillRounds() == 1);
        BackfillReport recovered = runtime.lastBackfill().orElseThrow();
        assertThat(recovered.readings()).isEqualTo(2);

        // the server tells of lost publishes once more (as at a reconnect), with nothing new since
        servers.get(ServerRole.PRIMARY).losePublishes();
        await().atMost(Duration.ofSeconds(5)).until(() -> backfillRounds() == 2);

        assertThat(runtime.lastBackfill()).as("the round that recovered, not the follow-up").contains(recovered);
        assertEachSecondOnce(0, 5);
    }

    /**
     * Both servers (history of {@code historized}) stream seconds 0..4; second 5's publish response
     * never arrives from the primary, which can no longer republish it.
     */
    private void streamUpToSecondFourThenLoseSecondFive(Set<String> historized) {
        start(historized, historized);
        for (int s = 0; s < 5; s++) {
            streamBoth(s);
        }
        awaitDelivered(10);
        servers.get(ServerRole.PRIMARY).record(at(5), values(5));
        clock.set(at(6));
        servers.get(ServerRole.PRIMARY).losePublishes();
    }

    private double backfillRounds() {
        return registry.counter("busbar.backfill.rounds", "pair", "plant").count();
    }

    @Test
    void aSkipOfOneNode_readsBackThatNodeAlone_fromItsWatermark() {
        start(Set.of(ENERGY, POWER), Set.of(ENERGY, POWER));
        for (int s = 0; s < 5; s++) {
            streamBoth(s);
        }
        awaitDelivered(10);

        // energy's second 5 was set late; power's came as usual
        clock.set(at(5));
        servers.values().forEach(server -> {
            server.record(at(5), Map.of(ENERGY, 1005.0));
            server.stream(at(5), Map.of(POWER, 10.0));
        });
        streamBoth(6);
        awaitDelivered(14);

        assertThat(seconds(ENERGY_SERIES)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(servers.get(ServerRole.PRIMARY).historyReads).last().satisfies(read -> {
            assertThat(read.nodeIds()).as("a skip of one node reads that node, not the pair's").containsExactly(ENERGY);
            assertThat(read.from()).isEqualTo(at(4));
        });
    }

    @Test
    void aBatchDroppedBeforeTheLoop_isReadBackAlone_upToItsOwnNewestTime() throws Exception {
        budget = new IngestBudget(2, 1_000); // one two-value publish may wait for the loop
        start(Set.of(ENERGY, POWER), Set.of(ENERGY, POWER));
        FakePairServer primary = servers.get(ServerRole.PRIMARY);
        clock.set(at(0));
        primary.stream(at(0), values(0));
        awaitDelivered(2);

        bufferOpen = new CountDownLatch(1);
        bufferEntered = new CountDownLatch(1);
        clock.set(at(1));
        primary.stream(at(1), values(1)); // the loop takes it and waits in the buffer
        assertThat(bufferEntered.await(5, TimeUnit.SECONDS)).isTrue();
        primary.stream(at(2), values(2)); // waits for the loop
        primary.stream(at(3), values(3)); // no room: dropped
        clock.set(at(5));
        bufferOpen.countDown();
        awaitDelivered(8);

        assertThat(seconds(ENERGY_SERIES)).containsExactly(0L, 1L, 2L, 3L);
        assertThat(primary.historyReads).last().satisfies(read -> {
            assertThat(read.nodeIds()).containsExactlyInAnyOrder(ENERGY, POWER);
            assertThat(read.to()).as("up to the dropped batch, not now").isEqualTo(at(3).plusNanos(1));
        });
    }

    @Test
    void liveStreamSkipsTwiceWithinAReadBackPeriod_bothSlotsAreReadBack_noHole() {
        // a stalling host: seconds 5 and 8 set late (in history, in neither stream), 3 s apart
        startThenSkipSecondFive();
        streamBoth(7);
        servers.values().forEach(server -> server.record(at(8), values(8)));
        streamBoth(9);
        awaitDelivered(20);

        assertThat(seconds(ENERGY_SERIES)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(seconds(POWER_SERIES)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(runtime.holes()).isEmpty();
    }

    @Test
    void aReadBackDeferredOnTheActive_doesNotDelayTheSwitchoverOfAPrimaryThatDies() {
        startThenSkipSecondFive();

        // a second skip 0.1 s after the first read-back: its read-back waits 4.9 s, then the primary dies
        clock.set(at(6).plusMillis(100));
        FakePairServer primary = servers.get(ServerRole.PRIMARY);
        primary.stream(at(7), values(7));
        primary.record(at(8), values(8));
        primary.stream(at(9), values(9));
        primary.connected(false);
        FakePairServer secondary = servers.get(ServerRole.SECONDARY);

        await().atMost(Duration.ofSeconds(3)).until(() -> !secondary.historyReads.isEmpty());
    }

    @Test
    void liveStreamSkipsASlotOfANodeWithoutHistory_theHotStandbysStreamFillsIt() {
        start(Set.of(ENERGY), Set.of(ENERGY));
        for (int s = 0; s < 5; s++) {
            streamBoth(s);
        }
        awaitDelivered(10);

        // the primary set second 5 late: its history has the energy, its stream nothing; the standby streamed it
        clock.set(at(5));
        servers.get(ServerRole.PRIMARY).record(at(5), values(5));
        servers.get(ServerRole.SECONDARY).stream(at(5), values(5));
        streamBoth(6);
        streamBoth(7);
        awaitDelivered(16);

        assertThat(seconds(ENERGY_SERIES)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(seconds(POWER_SERIES)).as("power, second 5 from the standby, in order")
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(runtime.holes()).isEmpty();
    }

    private static final String ENERGY_SERIES = "M1/1-0:1.8.0";
    private static final String POWER_SERIES = "M1/1-0:1.7.0";

    private void start(Set<String> primaryHistory, Set<String> secondaryHistory) {
        start(primaryHistory, secondaryHistory, true);
    }

    private void start(Set<String> primaryHistory, Set<String> secondaryHistory, boolean run) {
        servers.put(ServerRole.PRIMARY, new FakePairServer(ServerRole.PRIMARY, primaryHistory));
        servers.put(ServerRole.SECONDARY, new FakePairServer(ServerRole.SECONDARY, secondaryHistory));
        Mapping mapping = new Mapping("plant", List.of(
                new Register(ENERGY, "M1", "1-0:1.8.0", "kWh", BigDecimal.ONE, BigDecimal.ZERO),
                new Register(POWER, "M1", "1-0:1.7.0", "kW", BigDecimal.ONE, BigDecimal.ZERO)));
        SourcePairPlan plan = new SourcePairPlan("plant", server(ServerRole.PRIMARY), Optional.of(server(ServerRole.SECONDARY)),
                RedundancyPolicy.defaults(), backfillPolicy, mapping, List.of("out"));
        runtime = new SourcePairRuntime(plan, ForwardingScope.standalone(), batch -> {
            bufferEntered.countDown();
            bufferOpen.await();
            synchronized (delivered) {
                delivered.addAll(batch.readings());
            }
        }, registry, clock, Optional.empty(), Optional.empty(), server -> servers.get(server.role()),
                budget);
        if (run) {
            recordBeforeStart(5); // their history gives the historized nodes' cadence at the start
            runtime.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> runtime.state().active().equals(Optional.of(ServerRole.PRIMARY)));
        }
    }

    /** Both servers ran {@code seconds} before Busbar started: their history of those seconds. */
    private void recordBeforeStart(int seconds) {
        for (int s = -seconds; s < 0; s++) {
            int second = s;
            servers.values().forEach(server -> server.record(at(second), values(second)));
        }
    }

    private static ServerPlan server(ServerRole role) {
        return new ServerPlan(role, OpcUaSourceOptions.builder("opc.tcp://fake-" + role.wireName() + ":4840").build());
    }

    private void streamBoth(int second) {
        clock.set(at(second));
        servers.values().forEach(server -> server.stream(at(second), values(second)));
    }

    private static Instant at(int second) {
        return T0.plusSeconds(second);
    }

    /**
     * Seven seconds of both servers streaming, the standby's recent window holding one sample (so it
     * loses batches), then the primary gone: returns the standby once it is active.
     */
    private FakePairServer switchOverToStandbyThatStreamed(IntFunction<List<Map<String, Object>>> standbyPublishes) {
        budget = new IngestBudget(1_000, 2);
        start(Set.of(ENERGY, POWER), Set.of(ENERGY, POWER));
        FakePairServer primary = servers.get(ServerRole.PRIMARY);
        FakePairServer secondary = servers.get(ServerRole.SECONDARY);
        for (int s = 0; s < 7; s++) {
            clock.set(at(s));
            primary.stream(at(s), values(s));
            for (Map<String, Object> publish : standbyPublishes.apply(s)) {
                secondary.stream(at(s), publish);
            }
        }
        awaitDelivered(14);

        clock.set(at(7));
        primary.connected(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> runtime.state().active().equals(Optional.of(ServerRole.SECONDARY)));
        return secondary;
    }

    private static Map<String, Object> values(int second) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(ENERGY, 1000.0 + second);
        values.put(POWER, 5.0 + second);
        return values;
    }

    private void awaitDelivered(int readings) {
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            synchronized (delivered) {
                return delivered.size() >= readings;
            }
        });
    }

    private List<Long> seconds(String series) {
        synchronized (delivered) {
            return delivered.stream().filter(r -> (r.meter() + "/" + r.quantity()).equals(series))
                    .map(r -> r.sourceTime().getEpochSecond() - T0.getEpochSecond()).toList();
        }
    }

    private void assertEachSecondOnce(int first, int last) {
        assertEachSecondOnce(ENERGY_SERIES, first, last);
        assertEachSecondOnce(POWER_SERIES, first, last);
    }

    private void assertEachSecondOnce(String series, int first, int last) {
        assertThat(seconds(series)).as(series + ", in order, once each")
                .isEqualTo(LongStream.rangeClosed(first, last).boxed().toList());
        synchronized (delivered) {
            Set<String> keys = delivered.stream().map(Reading::key).collect(Collectors.toCollection(TreeSet::new));
            assertThat(keys).as("distinct keys").hasSize(delivered.size());
        }
    }
}
