package io.busbar.bench;

import io.busbar.connectors.opcua.MiloCallbackProbe;
import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import io.busbar.mappings.Mapping;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.Register;
import io.busbar.mappings.model.ServerRole;
import io.busbar.mappings.wire.ReadingChunkCodec;
import io.busbar.routes.source.IngestBatch;
import io.busbar.routes.source.PairProbe;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;

/**
 * CPU time per reading of the ingest path in one JVM, without a network: a hot pair of two servers
 * publishing {@code tags} values every {@code 1/hz} s (the bench's load servers: MeterNNNNN, an
 * energy and a power register each, one publish per sampling slot), each publish handed to the
 * connector's real receive path ({@link MiloCallbackProbe}: the subscription listener, the
 * conversion to samples), then the real pair runtime ({@link PairProbe}: hand-off to the loop,
 * liveness, cadence, gate, mapping, validation, the standby's recent samples, watermark saves) and a
 * sink that encodes the binary chunks as the buffer writer does (the Artemis send is not included).
 *
 * <p>Thread CPU time of the publishing thread (Milo's callback in production), the pair's loop and
 * its backfill thread, so the figure holds on a shared machine. Publishes are paced at the real
 * rate, so periodic work (selection ticks, watermark saves, expiry) counts as in production, and a
 * loop that cannot keep up drops batches as it would there ({@code dropped}). Run it with the heap
 * Busbar gets in the bench: {@code live heap} is what is left after a full GC at the end.
 *
 * <pre>bench/ingest-cost [tags] [hz] [seconds]</pre>
 */
public final class IngestCost {

    private static final Duration WARM_UP = Duration.ofSeconds(10);

    public static void main(String[] args) throws Exception {
        int tags = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int hz = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        long periodNanos = 1_000_000_000L / hz;
        List<String> nodes = nodeIds(tags);
        AtomicLong encodedReadings = new AtomicLong();
        AtomicLong chunkBytes = new AtomicLong();
        Path dir = Files.createTempDirectory("ingest-cost");
        try (PairProbe pair = new PairProbe(mapping(tags), Duration.ofNanos(periodNanos), batch -> sink(batch,
                encodedReadings, chunkBytes), dir.resolve("watermarks.json"))) {
            pair.start();
            Map<ServerRole, MiloCallbackProbe> servers = new EnumMap<>(ServerRole.class);
            for (ServerRole role : ServerRole.values()) {
                var listener = pair.listener(role);
                servers.put(role, new MiloCallbackProbe(nodes, batch -> listener.onSamples(role, batch)));
            }
            ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
            com.sun.management.ThreadMXBean memory = (com.sun.management.ThreadMXBean) cpu;
            long start = System.nanoTime();
            Instant firstSlot = Instant.now();
            long callbackCpu = 0;
            long callbackBytes = 0;
            long[] loopBytesAtStart = null;
            long published = 0;
            long[] loopAtStart = null;
            double forwardedAtStart = 0;
            double droppedAtStart = 0;
            long gcAtStart = 0;
            long processAtStart = 0;
            long mainAtStart = 0;
            long measureFrom = WARM_UP.toNanos();
            long end = measureFrom + Duration.ofSeconds(seconds).toNanos();
            for (long slot = 0; ; slot++) {
                long due = slot * periodNanos;
                if (due >= end) {
                    break;
                }
                boolean measuring = due >= measureFrom;
                if (measuring && loopAtStart == null) {
                    loopAtStart = pairThreadsCpu(cpu);
                    loopBytesAtStart = pairThreadsAllocated(cpu, memory);
                    forwardedAtStart = pair.forwarded();
                    droppedAtStart = pair.dropped();
                    gcAtStart = gcMillis();
                    processAtStart = processCpu();
                    mainAtStart = cpu.getCurrentThreadCpuTime();
                }
                Instant at = firstSlot.plusNanos(due);
                List<DataValue> primary = publish(tags, slot, at);
                List<DataValue> secondary = publish(tags, slot, at);
                long wait = start + due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                long t0 = cpu.getCurrentThreadCpuTime();
                long b0 = memory.getCurrentThreadAllocatedBytes();
                servers.get(ServerRole.PRIMARY).publish(primary);
                servers.get(ServerRole.SECONDARY).publish(secondary);
                if (measuring) {
                    callbackCpu += cpu.getCurrentThreadCpuTime() - t0;
                    callbackBytes += memory.getCurrentThreadAllocatedBytes() - b0;
                    published += 2L * tags;
                }
            }
            long[] loopAtEnd = pairThreadsCpu(cpu);
            long[] loopBytesAtEnd = pairThreadsAllocated(cpu, memory);
            // the whole JVM (GC threads, JIT, timers) but not this thread's making of the publishes
            long jvmCpu = processCpu() - processAtStart - (cpu.getCurrentThreadCpuTime() - mainAtStart - callbackCpu);
            double wall = (System.nanoTime() - start - measureFrom) / 1e9;
            double forwarded = pair.forwarded() - forwardedAtStart;
            double dropped = pair.dropped() - droppedAtStart;
            long gc = gcMillis() - gcAtStart;
            long loopCpu = loopAtEnd[0] - loopAtStart[0];
            long backfillCpu = loopAtEnd[1] - loopAtStart[1];
            System.gc();
            long live = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            double perForwarded = forwarded == 0 ? Double.NaN : 1e-3 * (callbackCpu + loopCpu + backfillCpu) / forwarded;
            System.out.printf("ingest %d tags x %d Hz, hot pair, %d s measured (after %d s warm-up), -Xmx%d MB%n",
                    tags, hz, seconds, WARM_UP.toSeconds(), Runtime.getRuntime().maxMemory() >> 20);
            System.out.printf("  offered %.0f values/s per server; made durable %.0f readings/s (%.0f %%); dropped %.0f samples/s%n",
                    (double) tags * hz, forwarded / wall, 100 * forwarded / wall / ((double) tags * hz), dropped / wall);
            System.out.printf("  CPU µs per value received (both servers): Milo callback %.2f  pair loop %.2f  backfill %.2f%n",
                    1e-3 * callbackCpu / published, 1e-3 * loopCpu / published, 1e-3 * backfillCpu / published);
            System.out.printf("  CPU µs per reading made durable (all three threads): %.2f%n", perForwarded);
            System.out.printf("  CPU µs per reading made durable, whole JVM (GC, JIT, timers; not the publishes' making): %.2f%n",
                    forwarded == 0 ? Double.NaN : 1e-3 * jvmCpu / forwarded);
            System.out.printf("  cores: Milo callback %.2f  pair loop %.2f  backfill %.2f; GC %.0f %% of the time%n",
                    callbackCpu / wall / 1e9, loopCpu / wall / 1e9, backfillCpu / wall / 1e9, gc / wall / 10);
            long loopBytes = loopBytesAtEnd[0] - loopBytesAtStart[0];
            long backfillBytes = loopBytesAtEnd[1] - loopBytesAtStart[1];
            double bytesPerForwarded = forwarded == 0 ? Double.NaN : (callbackBytes + loopBytes + backfillBytes) / forwarded;
            System.out.printf("  bytes allocated per value received: Milo callback %.0f  pair loop %.0f  backfill %.0f;"
                    + " per reading made durable (all three threads) %.0f%n", (double) callbackBytes / published,
                    (double) loopBytes / published, (double) backfillBytes / published, bytesPerForwarded);
            System.out.printf("  live heap after full GC %d MB; chunk bytes per reading %.1f%n", live >> 20,
                    encodedReadings.get() == 0 ? 0.0 : (double) chunkBytes.get() / encodedReadings.get());
            System.out.printf("ingest_cpu_us_per_reading=%.2f%ningest_readings_per_s=%.0f%ningest_dropped_per_s=%.0f%n"
                    + "ingest_live_heap_mb=%d%ningest_gc_percent=%.0f%ningest_jvm_cpu_us_per_reading=%.2f%n"
                    + "ingest_bytes_per_reading=%.0f%n", perForwarded,
                    forwarded / wall, dropped / wall, live >> 20, gc / wall / 10,
                    forwarded == 0 ? Double.NaN : 1e-3 * jvmCpu / forwarded, bytesPerForwarded);
        }
    }

    /** As ChunkedBatchWriter encodes a batch before sending it: chunks of at most 2,000 readings. */
    private static void sink(IngestBatch batch, AtomicLong readings, AtomicLong bytes) {
        List<Reading> all = batch.readings();
        for (int from = 0; from < all.size(); from += 2_000) {
            bytes.addAndGet(ReadingChunkCodec.encode(all.subList(from, Math.min(all.size(), from + 2_000))).length);
        }
        readings.addAndGet(all.size());
    }

    /** CPU ns of the pair's loop and of its backfill thread. */
    private static long[] pairThreadsCpu(ThreadMXBean threads) {
        return pairThreads(threads, threads::getThreadCpuTime);
    }

    /** Bytes allocated so far by the pair's loop and by its backfill thread. */
    private static long[] pairThreadsAllocated(ThreadMXBean threads, com.sun.management.ThreadMXBean memory) {
        return pairThreads(threads, memory::getThreadAllocatedBytes);
    }

    /** A per-thread count of the pair's loop ([0]) and of its backfill thread ([1]). */
    private static long[] pairThreads(ThreadMXBean threads, java.util.function.LongUnaryOperator count) {
        long[] found = new long[2];
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            if (info.getThreadName().equals(PairProbe.loopThread())) {
                found[0] += Math.max(0, count.applyAsLong(info.getThreadId()));
            } else if (info.getThreadName().equals("busbar-backfill-" + PairProbe.PAIR)) {
                found[1] += Math.max(0, count.applyAsLong(info.getThreadId()));
            }
        }
        return found;
    }

    /** CPU ns of the whole JVM so far. */
    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    /**
     * What Milo decodes from one publish response of the load server: a Double per node, Good, the
     * slot's source time and a server time per value (Milo's server stamps each value apart, a few
     * microseconds after the previous one).
     */
    private static List<DataValue> publish(int tags, long slot, Instant at) {
        List<DataValue> values = new ArrayList<>(tags);
        for (int i = 0; i < tags; i++) {
            double value = i % 2 == 0 ? 1_000_000.0 + slot * 0.25 + i : (slot + i) % 500 / 10.0;
            values.add(new DataValue(new Variant(value), StatusCode.GOOD, new DateTime(at),
                    new DateTime(at.plusNanos(4_000L * i))));
        }
        return values;
    }

    private static List<String> nodeIds(int tags) {
        List<String> nodes = new ArrayList<>(tags);
        for (int meter = 1; meter <= tags / 2; meter++) {
            nodes.add(SimulatedScadaServer.energyNodeId(meter));
            nodes.add(SimulatedScadaServer.powerNodeId(meter));
        }
        return nodes;
    }

    /** The bench's mapping (BusbarSetup): energy in Wh scaled to kWh, power in kW. */
    private static Mapping mapping(int tags) {
        List<Register> registers = new ArrayList<>(tags);
        for (int meter = 1; meter <= tags / 2; meter++) {
            String id = String.format("Meter%05d", meter);
            registers.add(new Register(SimulatedScadaServer.energyNodeId(meter), id, "1-0:1.8.0", "kWh",
                    new BigDecimal("0.001"), BigDecimal.ZERO));
            registers.add(new Register(SimulatedScadaServer.powerNodeId(meter), id, "1-0:1.7.0", "kW",
                    BigDecimal.ONE, BigDecimal.ZERO));
        }
        return new Mapping(PairProbe.PAIR, registers);
    }
}
