package io.busbar.routes.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.connectors.opcua.OpcUaSourceOptions;
import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import io.busbar.connectors.poll.PollCycle;
import io.busbar.mappings.Reading;
import io.busbar.mappings.ServerRole;
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
import java.util.TreeSet;
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
        await().atMost(ceiling).untilAsserted(() -> assertNoSecondMissing(delivered()));

        runtime.close();
        runtime = null;
        List<Reading> readings = delivered();
        assertThat(readings).allSatisfy(r -> assertThat(r.sourceTime().toEpochMilli() % 1000)
                .as("the server's source timestamp (a whole second in the simulator), not the poll time").isZero());
        Map<String, Long> perKey = readings.stream().collect(Collectors.groupingBy(Reading::key, Collectors.counting()));
        assertThat(perKey).as("duplicate keys").allSatisfy((key, count) -> assertThat(count).as(key).isOne());
        assertNoSecondMissing(readings);
        assertThat(readings).extracting(Reading::server).contains(ServerRole.PRIMARY, ServerRole.SECONDARY);
    }

    private static void assertNoSecondMissing(List<Reading> readings) {
        Map<String, TreeSet<Long>> seconds = readings.stream().collect(Collectors.groupingBy(
                r -> r.meter() + "/" + r.quantity(),
                Collectors.mapping(r -> r.sourceTime().getEpochSecond(), Collectors.toCollection(TreeSet::new))));
        assertThat(seconds).hasSize(PairHarness.METERS * 2);
        seconds.forEach((series, present) -> {
            List<Long> missing = new ArrayList<>();
            for (long s = present.first(); s <= present.last(); s++) {
                if (!present.contains(s)) {
                    missing.add(s);
                }
            }
            assertThat(missing).as("seconds missing in " + series).isEmpty();
        });
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
