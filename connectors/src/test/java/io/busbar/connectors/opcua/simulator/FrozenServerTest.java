package io.busbar.connectors.opcua.simulator;

import static io.busbar.connectors.opcua.simulator.SimulatedScadaServer.energyNodeId;
import static io.busbar.connectors.opcua.simulator.SimulatedScadaServer.powerNodeId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ubyte;

import io.busbar.connectors.opcua.OpcUaSource;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A frozen data acquisition: values and source times stop, the server and its session do not. */
class FrozenServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Long enough for several ticks and sampling rounds that must all stay silent. */
    private static final Duration FROZEN_FOR = Duration.ofMillis(2500);

    private final SimulatedScadaServer server = SimulatedScadaServer.builder().applicationName("frozen")
            .meterCount(1).historyStart(Instant.now().minus(1, ChronoUnit.HOURS)).build();

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void frozen_noNewSourceTimeOnMeterNodesOrHeartbeat_whileSessionSubscriptionAndServiceLevelWorkOn() throws Exception {
        server.start();
        try (MiloProbe probe = MiloProbe.connect(server)) {
            OpcUaMonitoredItem energy = probe.monitor(energyNodeId(1));
            OpcUaMonitoredItem heartbeat = probe.monitor(SimulatedScadaServer.HEARTBEAT_NODE_ID);
            OpcUaMonitoredItem serviceLevel = probe.monitor(OpcUaSource.SERVICE_LEVEL_NODE_ID);
            await().atMost(TIMEOUT).until(() -> probe.values(energy).size() >= 2);

            server.freeze();
            // every value published before the freeze has its slot start, not later than now, as source time
            Instant frozenAt = Instant.now();
            server.setServiceLevel(180);

            await().during(FROZEN_FOR).atMost(FROZEN_FOR.plusSeconds(2)).until(() ->
                    !isAfter(probe.newestGoodSourceTime(energy), frozenAt)
                            && !isAfter(probe.newestGoodSourceTime(heartbeat), frozenAt));
            assertThat(probe.last(serviceLevel).map(value -> value.value().value()))
                    .as("the subscription still delivers ServiceLevel").contains(ubyte(180));
            DataValue read = probe.read(energyNodeId(1));
            assertThat(read.statusCode().isGood()).isTrue();
            assertThat(read.sourceTime().getJavaInstant()).isBeforeOrEqualTo(frozenAt);

            server.unfreeze();
            await().atMost(TIMEOUT).until(() -> isAfter(probe.newestGoodSourceTime(energy), frozenAt));
        }
    }

    @Test
    void history_hasNoValuesForTheFrozenSlots_andEveryOtherSlotAsDeliveredLive() throws Exception {
        server.start();
        try (MiloProbe probe = MiloProbe.connect(server)) {
            OpcUaMonitoredItem energy = probe.monitor(energyNodeId(1));
            await().atMost(TIMEOUT).until(() -> probe.values(energy).size() >= 3);

            server.freeze();
            Instant frozenAt = Instant.now();
            await().atMost(FROZEN_FOR.plusSeconds(2)).until(() -> Instant.now().isAfter(frozenAt.plus(FROZEN_FOR)));
            Instant lastLiveBefore = probe.newestGoodSourceTime(energy).orElseThrow();
            server.unfreeze();
            Instant unfrozenAt = Instant.now();
            await().atMost(TIMEOUT).until(() -> isAfter(probe.newestGoodSourceTime(energy), unfrozenAt.plusSeconds(1)));
            Instant firstLiveAfter = probe.values(energy).stream()
                    .map(value -> value.sourceTime().getJavaInstant())
                    .filter(time -> time.isAfter(frozenAt)).min(Instant::compareTo).orElseThrow();

            Instant from = frozenAt.truncatedTo(ChronoUnit.SECONDS).minusSeconds(3);
            List<HistoryReadResult> results =
                    probe.historyReadRaw(List.of(energyNodeId(1), powerNodeId(1)), from, Instant.now());

            for (HistoryReadResult result : results) {
                List<Long> seconds = probe.historySeconds(result);
                List<long[]> gaps = gaps(seconds);
                assertThat(gaps).as("one gap in " + seconds).hasSize(1);
                long lastBefore = gaps.get(0)[0];
                long firstAfter = gaps.get(0)[1];
                assertThat(lastBefore).as("history ends with the last live value before the freeze")
                        .isEqualTo(lastLiveBefore.getEpochSecond());
                assertThat(firstAfter).as("history resumes with the first slot published after the freeze")
                        .isGreaterThan(unfrozenAt.getEpochSecond() - 1)
                        .isLessThanOrEqualTo(firstLiveAfter.getEpochSecond());
                assertThat(firstAfter - lastBefore - 1).as("frozen slots without history")
                        .isGreaterThanOrEqualTo(FROZEN_FOR.toSeconds());
            }
        }
    }

    private static boolean isAfter(Optional<Instant> time, Instant bound) {
        return time.isPresent() && time.get().isAfter(bound);
    }

    /** Each hole in a run of seconds, as {last second before it, first second after it}. */
    private static List<long[]> gaps(List<Long> seconds) {
        List<long[]> gaps = new ArrayList<>();
        for (int i = 1; i < seconds.size(); i++) {
            if (seconds.get(i) - seconds.get(i - 1) != 1) {
                gaps.add(new long[] {seconds.get(i - 1), seconds.get(i)});
            }
        }
        return gaps;
    }
}
