package io.busbar.routes.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.connectors.modbus.ModbusGatewayOptions;
import io.busbar.connectors.poll.PollCycle;
import io.busbar.mappings.Mapping;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.Register;
import io.busbar.mappings.model.ServerRole;
import io.busbar.redundancy.RedundancyPolicy;
import io.busbar.routes.plan.BackfillPolicy;
import io.busbar.routes.plan.ForwardingScope;
import io.busbar.routes.plan.ServerPlan;
import io.busbar.routes.plan.SourcePairPlan;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
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
 * A redundant pair of real Modbus TCP gateways (digitalpetri's server, in-process) with 100 meters
 * each, polled by the pair's engine: a gateway that hangs and one that is cut cost nothing, and the
 * sink (what an idempotent target receives) holds each meter's value once per cycle slot.
 */
class ModbusPairIT {

    static final int METERS = 100;
    static final Duration CYCLE = Duration.ofSeconds(1);
    /** Generous for a loaded test machine: a meter missed on the active gateway is a hole. */
    static final PollCycle POLL = new PollCycle(CYCLE, Duration.ofMillis(500), Duration.ofMillis(100), 2);

    private final List<Reading> delivered = new ArrayList<>();
    private SimulatedModbusGateway primary;
    private SimulatedModbusGateway secondary;
    private SourcePairRuntime runtime;

    @AfterEach
    void tearDown() throws Exception {
        if (runtime != null) {
            runtime.close();
        }
        if (primary != null) {
            primary.close();
        }
        if (secondary != null) {
            secondary.close();
        }
    }

    @Test
    void gatewayHangsThenIsCut_eachMeterOncePerSlot_noGap() throws Exception {
        startPair();
        Duration ceiling = Duration.ofSeconds(30);

        // whichever gateway answered first is active (a cold JVM's first cycles vary); the other stands by
        await().atMost(ceiling).until(() -> runtime.state().active().isPresent());
        ServerRole first = runtime.state().active().orElseThrow();
        ServerRole partner = first.partner();
        await().atMost(ceiling).until(() -> slotsFrom(first) >= 3);
        // the first cycles of a cold JVM may overrun their slot on both gateways: judged from here on
        long warm = delivered().stream().mapToLong(r -> r.sourceTime().toEpochMilli()).max().orElseThrow()
                / CYCLE.toMillis();

        gateway(first).hang(true); // TCP open, no answers: timeouts and retries, then connection lost
        await().atMost(ceiling).until(() -> runtime.state().active().equals(Optional.of(partner)));
        assertThat(runtime.state().health(first).connected()).as(first + " after its retries").isFalse();
        assertThat(runtime.state().health(first).reason()).as("health says why")
                .startsWith("not connected: connection lost — no answer after 3 tries: ");
        int before = slotsFrom(partner);
        await().atMost(ceiling).until(() -> slotsFrom(partner) >= before + 3);
        gateway(first).hang(false);
        // healthy, not only connected: a gateway still working off its backlog is a standby that
        // cannot yet cover for the partner, and cutting the partner then leaves a real hole
        await().atMost(ceiling).until(() -> runtime.state().health(first).healthy());

        gateway(partner).stop(); // cut: the active gateway is gone
        await().atMost(ceiling).until(() -> runtime.state().active().equals(Optional.of(first)));
        int back = slotsFrom(first);
        await().atMost(ceiling).until(() -> slotsFrom(first) >= back + 3);
        SimulatedModbusGateway restarted = new SimulatedModbusGateway(gateway(partner).port(), METERS, CYCLE);
        if (partner == ServerRole.PRIMARY) {
            primary = restarted;
        } else {
            secondary = restarted;
        }
        restarted.start();
        await().atMost(ceiling).until(() -> runtime.state().health(partner).connected());

        runtime.close();
        runtime = null;
        assertEachSlotExactlyOnce(warm);
    }

    /**
     * One meter stops answering behind both gateways: the gateways still answer (no switch), the
     * meter is listed as silent since its last answered slot, the others flow on; it answers again
     * and is no longer listed.
     */
    @Test
    void meterStopsAnsweringBehindBothGateways_listedAsSilent_othersFlow() throws Exception {
        startPair();
        Duration ceiling = Duration.ofSeconds(30);
        await().atMost(ceiling).until(() -> runtime.state().active().isPresent());
        ServerRole active = runtime.state().active().orElseThrow();
        await().atMost(ceiling).until(() -> slotsFrom(active) >= 2);
        assertThat(runtime.silentMeters(active)).isEmpty();

        java.time.Instant silencedAt = java.time.Instant.now();
        primary.silence(7, true);
        secondary.silence(7, true);
        await().atMost(ceiling).until(() -> runtime.silentMeters(active).containsKey(meter(7)));
        assertThat(runtime.silentMeters(active)).containsOnlyKeys(meter(7));
        assertThat(runtime.silentMeters(active.partner())).containsOnlyKeys(meter(7));
        assertThat(runtime.silentMeters(active).get(meter(7))).as("its last answered slot")
                .isBefore(silencedAt).isAfter(silencedAt.minus(CYCLE.multipliedBy(3)));
        assertThat(runtime.state().active()).contains(active);
        int before = slotsFrom(active);
        await().atMost(ceiling).until(() -> slotsFrom(active) >= before + 2); // M001 flows on

        primary.silence(7, false);
        secondary.silence(7, false);
        await().atMost(ceiling).until(() -> runtime.silentMeters(active).isEmpty());
    }

    /** Two gateways of {@value #METERS} meters each, polled by a pair runtime. */
    private void startPair() throws Exception {
        primary = new SimulatedModbusGateway(METERS, CYCLE);
        secondary = new SimulatedModbusGateway(METERS, CYCLE);
        primary.start();
        secondary.start();
        runtime = new SourcePairRuntime(plan(), ForwardingScope.standalone(), this::accept, new SimpleMeterRegistry(),
                Clock.systemUTC(), Optional.empty());
        runtime.start();
    }

    private SimulatedModbusGateway gateway(ServerRole role) {
        return role == ServerRole.PRIMARY ? primary : secondary;
    }

    private SourcePairPlan plan() {
        List<Register> registers = new ArrayList<>();
        for (int unit = 1; unit <= METERS; unit++) {
            registers.add(new Register("modbus:unit=" + unit + ";hr=0;type=uint32;words=low-first", meter(unit),
                    "1-0:1.8.0", "kWh", new BigDecimal("0.001"), BigDecimal.ZERO));
            registers.add(new Register("modbus:unit=" + unit + ";hr=2;type=float32", meter(unit), "1-0:1.7.0", "kW",
                    BigDecimal.ONE, BigDecimal.ZERO));
        }
        return new SourcePairPlan("meters",
                ServerPlan.modbus(ServerRole.PRIMARY, ModbusGatewayOptions.of(primary.endpoint(), POLL)),
                Optional.of(ServerPlan.modbus(ServerRole.SECONDARY, ModbusGatewayOptions.of(secondary.endpoint(), POLL))),
                RedundancyPolicy.defaults(), BackfillPolicy.defaults(), new Mapping("meters", registers), List.of("out"));
    }

    private static String meter(int unit) {
        return String.format("M%03d", unit);
    }

    private synchronized void accept(IngestBatch batch) {
        delivered.addAll(batch.readings());
    }

    private synchronized List<Reading> delivered() {
        return List.copyOf(delivered);
    }

    /** Distinct slots of meter 1's energy the server delivered. */
    private int slotsFrom(ServerRole role) {
        return (int) delivered().stream().filter(r -> r.server() == role && r.meter().equals("M001"))
                .filter(r -> r.quantity().equals("1-0:1.8.0")).map(Reading::sourceTime).distinct().count();
    }

    /** @param from the first slot that must be there for every meter */
    private void assertEachSlotExactlyOnce(long from) {
        List<Reading> readings = delivered();
        Map<String, Long> perKey = readings.stream().collect(Collectors.groupingBy(Reading::key, Collectors.counting()));
        assertThat(perKey).as("duplicate keys").allSatisfy((key, count) -> assertThat(count).as(key).isOne());
        assertThat(readings).allSatisfy(r -> assertThat(r.sourceTime().toEpochMilli() % CYCLE.toMillis())
                .as("source time on a slot boundary").isZero());
        Map<String, TreeSet<Long>> slots = readings.stream().collect(Collectors.groupingBy(
                r -> r.meter() + "/" + r.quantity(),
                Collectors.mapping(r -> r.sourceTime().toEpochMilli() / CYCLE.toMillis(), Collectors.toCollection(TreeSet::new))));
        assertThat(slots).hasSize(METERS * 2);
        slots.forEach((series, present) -> {
            List<Long> missing = new ArrayList<>();
            assertThat(present.first()).as(series).isLessThanOrEqualTo(from);
            for (long s = from; s <= present.last(); s++) {
                if (!present.contains(s)) {
                    missing.add(s);
                }
            }
            assertThat(missing).as("slots missing in " + series + " (this series' slots by server: "
                    + readings.stream().filter(r -> series.equals(r.meter() + "/" + r.quantity()))
                            .map(r -> r.server().wireName().charAt(0) + "" + r.sourceTime().getEpochSecond() % 100)
                            .toList() + ")").isEmpty();
        });
        for (Reading r : readings) {
            int unit = Integer.parseInt(r.meter().substring(1));
            long slot = r.sourceTime().toEpochMilli() / CYCLE.toMillis();
            if (r.quantity().equals("1-0:1.8.0")) {
                // a read answered after the next boundary (a retry on a loaded machine) carries the next slot's count
                assertThat(r.value().movePointRight(3).longValueExact()).as(r.key()).isIn(
                        SimulatedModbusGateway.energyWh(unit, slot), SimulatedModbusGateway.energyWh(unit, slot + 1));
            } else {
                assertThat(r.value()).as(r.key()).isEqualByComparingTo(new BigDecimal(Float.toString(unit * 1.5f)));
            }
        }
        assertThat(readings).extracting(Reading::server).contains(ServerRole.PRIMARY, ServerRole.SECONDARY);
    }
}
