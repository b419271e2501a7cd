package io.busbar.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.connectors.opcua.OpcUaSourceOptions;
import io.busbar.mappings.Mapping;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.Register;
import io.busbar.mappings.model.ServerRole;
import io.busbar.redundancy.RedundancyPolicy;
import io.busbar.routes.plan.BackfillPolicy;
import io.busbar.routes.plan.ServerPlan;
import io.busbar.routes.plan.SourcePairPlan;
import io.busbar.routes.source.SourcePairRuntime;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Busbar's source pair against two node-opcua servers, a stack that shares no code with the Milo
 * simulator Busbar's other tests use: hot standby, the active server (the primary, unless the
 * secondary won a slow start) killed with kill -9, and every (meter, quantity, second) of the window
 * reaching the sink exactly once — the historized energy registers (gaps read back from the
 * standby's history) and the power values it keeps no history for (only the hot standby's own
 * stream can have them).
 */
class NodeOpcUaPairFailoverIT {

    private static final Logger LOG = LoggerFactory.getLogger(NodeOpcUaPairFailoverIT.class);
    private static final int METERS = 20;
    static final String ENERGY = "1-0:1.8.0";
    static final String POWER = "1-0:1.7.0";
    private static final long SECONDS_ON_FIRST = 10;
    private static final long SECONDS_AFTER_KILL = 15;
    /** Both servers start, connect and stream; generous, the machine is shared. */
    private static final Duration STARTUP = Duration.ofSeconds(60);

    @Test
    void primaryKilled_hotSecondaryStreamsOn_eachMeterQuantitySecondExactlyOnce() {
        NodeInstall.Installed node = NodeInstall.require();
        RecordingSink sink = new RecordingSink();
        // in parallel: each spends seconds loading the standard nodeset (a server left behind by a
        // failed start exits with this JVM, when its stdin closes)
        CompletableFuture<NodeMeterServer> secondaryStarting = CompletableFuture.supplyAsync(
                () -> NodeMeterServer.start(node, ServerRole.SECONDARY, METERS, false));
        try (NodeMeterServer primary = NodeMeterServer.start(node, ServerRole.PRIMARY, METERS, false);
             NodeMeterServer secondary = secondaryStarting.join();
             SourcePairRuntime runtime = new SourcePairRuntime(plan(primary, secondary), sink::accept,
                     new SimpleMeterRegistry(), Clock.systemUTC(), Optional.empty())) {
            assertThat(secondary.energyNodeId(1)).as("both servers give the meters the same node ids")
                    .isEqualTo(primary.energyNodeId(1));
            runtime.start();
            await().atMost(STARTUP).until(() -> runtime.state().active()
                    .map(active -> sink.secondsFrom(active) >= SECONDS_ON_FIRST).orElse(false));
            // the primary is preferred, but on a loaded machine the secondary may have connected
            // alone within the start-up grace and won: the active one is the one killed
            ServerRole first = runtime.state().active().orElseThrow();
            ServerRole next = first.partner();

            long killedAt = Instant.now().getEpochSecond();
            (first == ServerRole.PRIMARY ? primary : secondary).kill();
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> runtime.state().active().equals(Optional.of(next)));
            long to = killedAt + SECONDS_AFTER_KILL;
            awaitEverySeriesReached(sink, to);

            List<Reading> readings = sink.readings();
            StreamAudit audit = StreamAudit.energyAndPower(readings, METERS, sink.firstCommonSecond(), to);
            LOG.info("node-opcua failover ({} killed at {}, switchover {}): {}", first.wireName(), killedAt,
                    runtime.state().lastSwitchover(), audit);
            System.out.println("node-opcua failover counts: " + audit);

            SoftAssertions.assertSoftly(softly -> {
                softly.assertThat(runtime.state().lastSwitchover()).as("the switch").hasValueSatisfying(s -> {
                    assertThat(s.from()).contains(first);
                    assertThat(s.to()).contains(next);
                });
                softly.assertThat(audit.byServer().getOrDefault(next, 0L)).as("readings from the " + next.wireName())
                        .isPositive();
                softly.assertThat(audit.duplicates()).as("duplicate keys; " + audit).isZero();
                softly.assertThat(audit.wrongValues()).as("values unlike the servers'; " + audit).isZero();
                softly.assertThat(audit.quantity(ENERGY).lost()).as("energy (historized) lost; " + audit).isZero();
                softly.assertThat(audit.quantity(POWER).lost()).as("power (not historized) lost; " + audit).isZero();
                softly.assertThat(sink.deadLetters()).as("dead letters").isEmpty();
            });
        }
    }

    /**
     * Waits until every meter's every quantity has reached {@code second}; if some never do, the
     * audit counts them as lost rather than this failing without counts.
     */
    private static void awaitEverySeriesReached(RecordingSink sink, long second) {
        try {
            await().atMost(Duration.ofSeconds(SECONDS_AFTER_KILL + 30)).until(() -> sink.everySeriesReached(METERS * 2, second));
        } catch (ConditionTimeoutException e) {
            LOG.warn("not every series reached second {}: {}", second, sink.lastSecondPerSeries());
        }
    }

    private static SourcePairPlan plan(NodeMeterServer primary, NodeMeterServer secondary) {
        return new SourcePairPlan("interop",
                new ServerPlan(ServerRole.PRIMARY, options(primary)),
                Optional.of(new ServerPlan(ServerRole.SECONDARY, options(secondary))),
                RedundancyPolicy.defaults(), BackfillPolicy.defaults(), mapping(primary, METERS), List.of("out"));
    }

    /** Each meter's energy and power register, as the server names their nodes. */
    static Mapping mapping(NodeMeterServer server, int meters) {
        List<Register> registers = new ArrayList<>();
        for (int meter = 1; meter <= meters; meter++) {
            String id = NodeMeterServer.meterId(meter);
            registers.add(new Register(server.energyNodeId(meter), id, ENERGY, "Wh", BigDecimal.ONE, BigDecimal.ZERO));
            registers.add(new Register(server.powerNodeId(meter), id, POWER, "kW", BigDecimal.ONE, BigDecimal.ZERO));
        }
        return new Mapping("interop", registers);
    }

    static OpcUaSourceOptions options(NodeMeterServer server) {
        return optionsBuilder(server).build();
    }

    static OpcUaSourceOptions.Builder optionsBuilder(NodeMeterServer server) {
        return OpcUaSourceOptions.builder(server.endpointUrl())
                .publishingInterval(Duration.ofSeconds(1))
                // several samples per one-second update: no value is skipped by a late sample
                .samplingInterval(Duration.ofMillis(250))
                .retryDelay(Duration.ofMillis(500))
                .maxRetryDelay(Duration.ofSeconds(2));
    }
}
