package io.busbar.routes.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.connectors.opcua.OpcUaSourceOptions;
import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import io.busbar.mappings.Mapping;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.Register;
import io.busbar.mappings.model.ServerRole;
import io.busbar.redundancy.RedundancyPolicy;
import io.busbar.routes.plan.BackfillPolicy;
import io.busbar.routes.plan.ServerPlan;
import io.busbar.routes.plan.SourcePairPlan;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A source pair runtime on two simulated SCADA servers, with a sink that records every reading the
 * pair made "durable" — what the buffer, and so every target, would receive.
 */
final class PairHarness implements AutoCloseable {

    static final Duration PUBLISHING = Duration.ofMillis(200);
    static final int METERS = 2;

    final SimulatedScadaServer primary;
    final SimulatedScadaServer secondary;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<Reading> delivered = new ArrayList<>();
    private SourcePairRuntime runtime;
    private Duration publishing = PUBLISHING;
    private Duration requestTimeout = OpcUaSourceOptions.DEFAULT_REQUEST_TIMEOUT;

    /**
     * @param secondary null for a pair with a primary only. Both servers have history from an hour
     *                  before (where they have history at all), as a SCADA server has when Busbar
     *                  starts beside it: a stream's first seconds can be judged against it.
     */
    PairHarness(SimulatedScadaServer.Builder primary, SimulatedScadaServer.Builder secondary) {
        this(primary, secondary, Duration.ofHours(1));
    }

    /** @param historyBefore how long before now the servers' history starts */
    private PairHarness(SimulatedScadaServer.Builder primary, SimulatedScadaServer.Builder secondary,
                        Duration historyBefore) {
        Instant historyStart = Instant.now().minus(historyBefore);
        this.primary = primary.port(0).meterCount(METERS).applicationName("test primary").historyStart(historyStart)
                .build();
        this.secondary = secondary == null ? null
                : secondary.port(0).meterCount(METERS).applicationName("test secondary").historyStart(historyStart)
                        .build();
        this.primary.start();
        if (this.secondary != null) {
            this.secondary.start();
        }
    }

    PairHarness() {
        this(SimulatedScadaServer.builder(), SimulatedScadaServer.builder());
    }

    /** A pair whose servers start now, their history with them: too short at Busbar's start to give a cadence. */
    static PairHarness freshServers() {
        return new PairHarness(SimulatedScadaServer.builder(), SimulatedScadaServer.builder(), Duration.ZERO);
    }

    /** How long a request may take, for the runtime started next (default: the product's). */
    PairHarness requestTimeout(Duration timeout) {
        this.requestTimeout = timeout;
        return this;
    }

    /** The subscriptions' publishing interval, for the runtime started next (default {@link #PUBLISHING}). */
    PairHarness publishing(Duration interval) {
        this.publishing = interval;
        return this;
    }

    SourcePairRuntime start(RedundancyPolicy policy) {
        return start(policy, BackfillPolicy.defaults());
    }

    SourcePairRuntime start(RedundancyPolicy policy, BackfillPolicy backfill) {
        return start(policy, backfill, Optional.empty());
    }

    /** Starts (or, after {@link #stopBusbar()}, restarts) the pair's runtime; the sink keeps what it had. */
    SourcePairRuntime start(RedundancyPolicy policy, BackfillPolicy backfill, Optional<java.nio.file.Path> watermarks) {
        return start(policy, backfill, watermarks, mapping());
    }

    SourcePairRuntime start(RedundancyPolicy policy, BackfillPolicy backfill, Optional<java.nio.file.Path> watermarks,
                            Mapping mapping) {
        return start(policy, backfill, watermarks, mapping, io.busbar.routes.plan.ForwardingScope.standalone());
    }

    /** @param scope which active server this runtime forwards (deployment mode) */
    SourcePairRuntime start(RedundancyPolicy policy, BackfillPolicy backfill, Optional<java.nio.file.Path> watermarks,
                            Mapping mapping, io.busbar.routes.plan.ForwardingScope scope) {
        runtime = new SourcePairRuntime(plan(policy, backfill, mapping), scope, this::accept, registry, Clock.systemUTC(),
                watermarks);
        runtime.start();
        return runtime;
    }

    /**
     * Starts the runtime on a real buffer: a batch counts as delivered once {@code writer} made it
     * durable, and the pair keeps its forward log there.
     */
    SourcePairRuntime startDurable(ChunkedBatchWriter writer, java.nio.file.Path watermarks, ForwardLog log) {
        runtime = new SourcePairRuntime(plan(RedundancyPolicy.defaults(), BackfillPolicy.defaults(), mapping()),
                io.busbar.routes.plan.ForwardingScope.standalone(), batch -> {
                    writer.write(batch.readings(), batch.seq());
                    accept(batch);
                }, registry, Clock.systemUTC(), Optional.of(watermarks), Optional.of(log));
        runtime.start();
        return runtime;
    }

    /** Busbar killed (kill -9): nothing saved, nothing closed; the servers keep running. */
    void killBusbar() {
        runtime.abandon();
        runtime = null;
    }

    private SourcePairPlan plan(RedundancyPolicy policy, BackfillPolicy backfill, Mapping mapping) {
        return new SourcePairPlan("plant",
                server(ServerRole.PRIMARY, primary),
                Optional.ofNullable(secondary).map(s -> server(ServerRole.SECONDARY, s)),
                policy, backfill, mapping, List.of("out"));
    }

    static Mapping mapping(Register... extra) {
        List<Register> registers = new ArrayList<>(List.of(extra));
        for (int meter = 1; meter <= METERS; meter++) {
            registers.add(new Register(SimulatedScadaServer.energyNodeId(meter), "M" + meter, "1-0:1.8.0", "kWh",
                    new BigDecimal("0.001"), BigDecimal.ZERO));
            registers.add(new Register(SimulatedScadaServer.powerNodeId(meter), "M" + meter, "1-0:1.7.0", "kW",
                    BigDecimal.ONE, BigDecimal.ZERO));
        }
        return new Mapping("plant", registers);
    }

    private ServerPlan server(ServerRole role, SimulatedScadaServer server) {
        return new ServerPlan(role, OpcUaSourceOptions.builder(server.endpointUrl())
                .publishingInterval(publishing)
                .requestTimeout(requestTimeout)
                .samplingInterval(Duration.ofMillis(100))
                .retryDelay(Duration.ofMillis(200))
                .maxRetryDelay(Duration.ofSeconds(1))
                .itemRetryInterval(Duration.ofMillis(500))
                .build());
    }

    /** While true the sink refuses every batch, as ingest does when the buffer is at max-disk. */
    final java.util.concurrent.atomic.AtomicBoolean bufferFull = new java.util.concurrent.atomic.AtomicBoolean();
    final java.util.concurrent.atomic.AtomicInteger refusals = new java.util.concurrent.atomic.AtomicInteger();

    private final List<IngestBatch.SourceDeadLetter> deadLetters = new ArrayList<>();

    private synchronized void accept(IngestBatch batch) {
        if (bufferFull.get()) {
            refusals.incrementAndGet();
            throw new io.busbar.routes.BufferCapacity.BufferFullException("test: buffer full");
        }
        delivered.addAll(batch.readings());
        deadLetters.addAll(batch.deadLetters());
    }

    synchronized List<IngestBatch.SourceDeadLetter> deadLetters() {
        return List.copyOf(deadLetters);
    }

    synchronized List<Reading> delivered() {
        return List.copyOf(delivered);
    }

    /** Readings from one server, for "who delivered" assertions. */
    List<Reading> deliveredBy(ServerRole role) {
        return delivered().stream().filter(r -> r.server() == role).toList();
    }

    double counter(String name) {
        return registry.find(name).counter() == null ? 0 : registry.find(name).counter().count();
    }

    /**
     * The promise: every (meter, quantity) has exactly one reading per second from its first to its
     * last delivered second — no duplicate key, no gap.
     */
    void assertEachSecondExactlyOnce() {
        List<Reading> readings = delivered();
        Map<String, Long> perKey = readings.stream().collect(Collectors.groupingBy(Reading::key, Collectors.counting()));
        assertThat(perKey).as("duplicate keys").allSatisfy((key, count) -> assertThat(count).as(key).isOne());
        Map<String, List<Long>> order = readings.stream().collect(Collectors.groupingBy(
                r -> r.meter() + "/" + r.quantity(),
                Collectors.mapping(r -> r.sourceTime().toEpochMilli(), Collectors.toList())));
        order.forEach((series, times) -> assertThat(times).as("order of " + series).isSorted());
        assertNoSecondMissing(readings);
    }

    /** Every series (meter, quantity) of the harness' meters, with no second missing between its first and last. */
    static void assertNoSecondMissing(List<Reading> readings) {
        assertNoSlotMissing(readings, Duration.ofSeconds(1));
    }

    /** Every series (meter, quantity) of the harness' meters, with no slot of {@code slot} missing between its first and last. */
    static void assertNoSlotMissing(List<Reading> readings, Duration slot) {
        long millis = slot.toMillis();
        Map<String, TreeSet<Long>> slots = readings.stream().collect(Collectors.groupingBy(
                r -> r.meter() + "/" + r.quantity(),
                Collectors.mapping(r -> Math.floorDiv(r.sourceTime().toEpochMilli(), millis),
                        Collectors.toCollection(TreeSet::new))));
        assertThat(slots).hasSize(METERS * 2);
        slots.forEach((series, present) -> {
            List<Long> missing = new ArrayList<>();
            for (long s = present.first(); s <= present.last(); s++) {
                if (!present.contains(s)) {
                    missing.add(s * millis / 1000);
                }
            }
            assertThat(missing).as((millis == 1000 ? "seconds" : "slots (epoch second)") + " missing in " + series)
                    .isEmpty();
        });
    }

    long lastSecond() {
        return delivered().stream().mapToLong(r -> r.sourceTime().getEpochSecond()).max().orElse(0);
    }

    /** Stops Busbar's side only; the servers keep running. */
    void stopBusbar() {
        runtime.close();
        runtime = null;
    }

    @Override
    public void close() {
        if (runtime != null) {
            runtime.close();
        }
        primary.close();
        if (secondary != null) {
            secondary.close();
        }
    }
}
