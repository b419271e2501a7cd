package io.busbar.routes.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.connectors.opcua.OpcUaSourceOptions;
import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import io.busbar.connectors.poll.PollCycle;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.ServerRole;
import io.busbar.redundancy.RedundancyPolicy;
import io.busbar.routes.plan.BackfillPolicy;
import io.busbar.routes.plan.ForwardingScope;
import io.busbar.routes.plan.ServerPlan;
import io.busbar.routes.plan.SourcePairPlan;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An OPC UA pair read in polling mode against two simulated SCADA servers that can hang (TCP open,
 * no answers): the hung server's polls time out through their retries, it is "connection lost",
 * the partner takes over, and the seam is read back from the partner's history — each second once.
 */
class PolledOpcUaPairIT {

    static final PollCycle POLL = new PollCycle(Duration.ofSeconds(1), Duration.ofMillis(400), Duration.ofMillis(100), 2);

    private final List<Reading> delivered = new ArrayList<>();
    private final Map<ServerRole, SimulatedScadaServer> servers = new java.util.EnumMap<>(ServerRole.class);
    private SourcePairRuntime runtime;

    @AfterEach
    void tearDown() {
        if (runtime != null) {
            runtime.close();
        }
        servers.values().forEach(SimulatedScadaServer::close);
    }

    @Test
    void activeServerHangs_pollsRetryThenConnectionLost_partnerTakesOver_eachSecondOnce() {
        for (ServerRole role : ServerRole.values()) {
            SimulatedScadaServer server = SimulatedScadaServer.builder().port(0).meterCount(PairHarness.METERS)
                    .hangable(true).applicationName("polled " + role.wireName()).build();
            server.start();
            servers.put(role, server);
        }
        runtime = new SourcePairRuntime(new SourcePairPlan("plant", server(ServerRole.PRIMARY),
                Optional.of(server(ServerRole.SECONDARY)), RedundancyPolicy.defaults(), BackfillPolicy.defaults(),
                PairHarness.mapping(), List.of("out")), ForwardingScope.standalone(), this::accept,
                new SimpleMeterRegistry(), Clock.systemUTC(), Optional.empty());
        runtime.start();
        Duration ceiling = Duration.ofSeconds(30);

        await().atMost(ceiling).until(() -> runtime.state().active().isPresent());
        ServerRole first = runtime.state().active().orElseThrow();
        await().atMost(ceiling).until(() -> seconds(first) >= 3);

        servers.get(first).hang();
        await().atMost(ceiling).until(() -> runtime.state().active().equals(Optional.of(first.partner())));
        assertThat(runtime.state().health(first).connected()).isFalse();
        int before = seconds(first.partner());
        await().atMost(ceiling).until(() -> seconds(first.partner()) >= before + 3);
        servers.get(first).unhang();
        await().atMost(ceiling).until(() -> runtime.state().health(first).connected());
        int after = seconds(first.partner());
        await().atMost(ceiling).until(() -> seconds(first.partner()) >= after + 2);
        // a poll that comes late on a loaded machine skips a second; the engine reads skipped slots
        // back from history (at most every 5 s), so the stream is complete a few seconds later
        await().atMost(ceiling).untilAsserted(() -> PairHarness.assertNoSecondMissing(delivered()));

        runtime.close();
        runtime = null;
        List<Reading> readings = delivered();
        assertThat(readings).allSatisfy(r -> assertThat(r.sourceTime().toEpochMilli() % 1000)
                .as("the server's source timestamp (a whole second in the simulator), not the poll time").isZero());
        Map<String, Long> perKey = readings.stream().collect(Collectors.groupingBy(Reading::key, Collectors.counting()));
        assertThat(perKey).as("duplicate keys").allSatisfy((key, count) -> assertThat(count).as(key).isOne());
        PairHarness.assertNoSecondMissing(readings);
        assertThat(readings).extracting(Reading::server).contains(ServerRole.PRIMARY, ServerRole.SECONDARY);
    }

    /**
     * The active server first answers slowly but within the poll timeout (nothing changes), then
     * slower than the timeout: each cycle tries {@code retries + 1} times (counted by the server),
     * health says "connection lost", the partner takes over. Then the partner does not answer at all
     * (hangs) and the first server, quick again, takes over. Each slot reaches the sink once.
     */
    @Test
    void serverAnswersSlowlyThenNotAtAll_triesAsConfigured_connectionLostInHealth_partnerTakesOver_eachSlotOnce() {
        PollCycle poll = new PollCycle(Duration.ofSeconds(2), Duration.ofMillis(150), Duration.ofMillis(50), 2);
        for (ServerRole role : ServerRole.values()) {
            SimulatedScadaServer server = SimulatedScadaServer.builder().port(0).meterCount(PairHarness.METERS)
                    .updateInterval(poll.cycle()).hangable(true).applicationName("slow " + role.wireName()).build();
            server.start();
            servers.put(role, server);
        }
        runtime = new SourcePairRuntime(new SourcePairPlan("plant", slowTolerant(ServerRole.PRIMARY, poll),
                Optional.of(slowTolerant(ServerRole.SECONDARY, poll)), RedundancyPolicy.defaults(),
                BackfillPolicy.defaults(), PairHarness.mapping(), List.of("out")), ForwardingScope.standalone(),
                this::accept, new SimpleMeterRegistry(), Clock.systemUTC(), Optional.empty());
        runtime.start();
        Duration ceiling = Duration.ofSeconds(60);
        await().atMost(ceiling).until(() -> runtime.state().active().isPresent());
        ServerRole first = runtime.state().active().orElseThrow();
        ServerRole partner = first.partner();
        await().atMost(ceiling).until(() -> seconds(first) >= 2);

        // slow, within the timeout: still answered, still active
        servers.get(first).answerSlowly(Duration.ofMillis(40));
        int slowFrom = seconds(first);
        await().atMost(ceiling).until(() -> seconds(first) >= slowFrom + 3);
        assertThat(runtime.state().active()).contains(first);
        assertThat(runtime.state().health(first).connected()).isTrue();

        // slower than the timeout: every try of a cycle times out, though the session stays up
        java.time.Instant tooSlowFrom = java.time.Instant.now();
        servers.get(first).answerSlowly(Duration.ofSeconds(1));
        await().atMost(ceiling).until(() -> runtime.state().active().equals(Optional.of(partner)));
        var lost = runtime.state().health(first);
        assertThat(lost.connected()).isFalse();
        assertThat(lost.reason()).isEqualTo("not connected: connection lost — no answer to the poll after 3 tries"
                + " (timeout 150ms each)");
        await().atMost(ceiling).until(() -> readsPerCycle(first, poll, tooSlowFrom).size() >= 5);
        servers.get(first).answerSlowly(Duration.ZERO);
        List<Integer> tries = readsPerCycle(first, poll, tooSlowFrom);
        // the first and the last cycle may straddle a change of speed; those between failed throughout
        assertThat(tries.subList(1, tries.size() - 1)).as("reads the server got per cycle: " + tries)
                .isNotEmpty().allSatisfy(n -> assertThat(n).isEqualTo(poll.retries() + 1));
        await().atMost(ceiling).until(() -> runtime.state().health(first).healthy());

        // not at all: the partner, active now, hangs
        servers.get(partner).hang();
        await().atMost(ceiling).until(() -> runtime.state().active().equals(Optional.of(first)));
        assertThat(runtime.state().health(partner).reason()).startsWith("not connected");
        int before = seconds(first);
        await().atMost(ceiling).until(() -> seconds(first) >= before + 3);
        servers.get(partner).unhang();
        await().atMost(ceiling).until(() -> runtime.state().health(partner).connected());
        await().atMost(ceiling).untilAsserted(() -> PairHarness.assertNoSlotMissing(delivered(), poll.cycle()));

        runtime.close();
        runtime = null;
        List<Reading> readings = delivered();
        assertThat(readings).allSatisfy(r -> assertThat(r.sourceTime().toEpochMilli() % poll.cycle().toMillis())
                .as("the server's source timestamp (a whole slot in the simulator), not the poll time").isZero());
        Map<String, Long> perKey = readings.stream().collect(Collectors.groupingBy(Reading::key, Collectors.counting()));
        assertThat(perKey).as("duplicate keys").allSatisfy((key, count) -> assertThat(count).as(key).isOne());
        PairHarness.assertNoSlotMissing(readings, poll.cycle());
        assertThat(readings).extracting(Reading::server).contains(ServerRole.PRIMARY, ServerRole.SECONDARY);
    }

    /**
     * The Read requests for meter values the server got since {@code from}, counted per poll cycle
     * (a cycle's tries all fall between its start, half a second after the slot boundary, and the
     * next cycle's), oldest first; the cycle under way last.
     */
    private List<Integer> readsPerCycle(ServerRole role, PollCycle poll, java.time.Instant from) {
        long cycle = poll.cycle().toMillis();
        long offset = PolledOpcUaPairServer.POLL_AFTER_BOUNDARY.toMillis();
        Map<Long, Long> perCycle = servers.get(role).meterReads().stream().filter(at -> !at.isBefore(from))
                .collect(Collectors.groupingBy(at -> Math.floorDiv(at.toEpochMilli() - offset, cycle),
                        java.util.TreeMap::new, Collectors.counting()));
        return perCycle.values().stream().map(Long::intValue).toList();
    }

    /** Keep-alive patient enough for a server that answers a second late: only the polls judge it. */
    private ServerPlan slowTolerant(ServerRole role, PollCycle poll) {
        return ServerPlan.polled(role, OpcUaSourceOptions.builder(servers.get(role).endpointUrl())
                .retryDelay(Duration.ofMillis(200)).maxRetryDelay(Duration.ofSeconds(1))
                .keepAliveInterval(Duration.ofSeconds(1)).keepAliveTimeout(Duration.ofSeconds(3))
                .requestTimeout(Duration.ofSeconds(5)).build(), poll);
    }

    private ServerPlan server(ServerRole role) {
        return ServerPlan.polled(role, OpcUaSourceOptions.builder(servers.get(role).endpointUrl())
                .retryDelay(Duration.ofMillis(200)).maxRetryDelay(Duration.ofSeconds(1))
                .requestTimeout(Duration.ofSeconds(2)).build(), POLL);
    }

    private synchronized void accept(IngestBatch batch) {
        delivered.addAll(batch.readings());
    }

    private synchronized List<Reading> delivered() {
        return List.copyOf(delivered);
    }

    private int seconds(ServerRole role) {
        return (int) delivered().stream().filter(r -> r.server() == role).map(Reading::sourceTime).distinct().count();
    }
}
