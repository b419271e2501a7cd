package io.busbar.bench;

import io.busbar.mappings.model.Accumulation;
import io.busbar.mappings.model.Medium;
import io.busbar.mappings.model.Quality;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.ReadingKey;
import io.busbar.mappings.model.ServerRole;
import io.busbar.mappings.model.ValidationStatus;
import io.busbar.mappings.wire.ReadingChunkCodec;
import io.busbar.mappings.wire.ReadingJsonWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * CPU time per reading of the delivery thread's own work for a Kafka target, without the broker:
 * decode the buffered chunks ({@link ReadingChunkCodec#decode}, as {@code DeliveryProcessor} does)
 * and make each reading's record ({@link ReadingJsonWriter} + a {@link ProducerRecord}, as
 * {@code KafkaTarget.deliver} does before {@code send}). The readings look like the live 10,000-tag
 * bench publish at the Kafka topic: one source time per publish, a server time per reading a few
 * milliseconds after it (100 ns resolution), an energy register (kWh, 3 decimals, tariff T0) and a
 * power value (kW) per meter, validated, medium and accumulation set.
 *
 * <p>Thread CPU time after a warm-up of {@code warm-up} publishes, then {@code passes} passes of
 * {@code rounds} publishes (10,000 readings each):
 * {@code bench/delivery-cost [rounds [passes [warm-up [burst]]]]}. With {@code burst}, a second
 * thread derives reading keys of a later source time meanwhile, {@code burst} keys per ~50 µs
 * (10: some 200,000 a second), as the pair's mapping does while delivery decodes the previous
 * publish; its CPU is not counted.
 * To compare two builds of a module, run this class with either jar first on the class path.
 */
public final class DeliveryCost {

    private static final int READINGS = 10_000;
    /** Readings per buffer message: ingest writes a chunk per meter group of a slice. */
    private static final int CHUNK = 1_000;

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int warmUp = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        if (args.length > 3) {
            startIngest(Instant.parse("2026-12-05T07:00:00Z"), Integer.parseInt(args[3]));
        }
        Random random = new Random(42);
        Instant t0 = Instant.parse("2026-12-05T06:33:02Z");
        // a few publishes' chunks, cycled: distinct times per publish as live, built outside the timing
        List<List<byte[]>> publishes = new ArrayList<>();
        for (int p = 0; p < 8; p++) {
            publishes.add(chunks(publish(t0.plusSeconds(p), random)));
        }
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long sink = run(publishes, warmUp, cpu, new long[4]);
        for (int pass = 0; pass < passes; pass++) {
            long[] counts = new long[4];
            sink += run(publishes, rounds, cpu, counts);
            double n = (double) rounds * READINGS * 1_000; // ns → µs per reading
            double readings = (double) rounds * READINGS;
            System.out.printf(Locale.ROOT, "pass %d: %d readings  decode %.3f µs  record (JSON + ProducerRecord) %.3f µs"
                            + "  total %.3f µs per reading; bytes allocated per reading: decode %.0f  record %.0f"
                            + "  (checksum %d)%n", pass, (long) rounds * READINGS, counts[0] / n,
                    counts[1] / n, (counts[0] + counts[1]) / n, counts[2] / readings, counts[3] / readings, sink % 7);
        }
    }

    /** Adds to {@code counts}: decode and record CPU ns, then decode and record bytes allocated. */
    private static long run(List<List<byte[]>> publishes, int rounds, ThreadMXBean cpu, long[] counts) {
        com.sun.management.ThreadMXBean memory = (com.sun.management.ThreadMXBean) cpu;
        long sink = 0;
        for (int round = 0; round < rounds; round++) {
            for (byte[] chunk : publishes.get(round % publishes.size())) {
                long t0 = cpu.getCurrentThreadCpuTime();
                long b0 = memory.getCurrentThreadAllocatedBytes();
                List<Reading> batch = ReadingChunkCodec.decode(chunk);
                long t1 = cpu.getCurrentThreadCpuTime();
                long b1 = memory.getCurrentThreadAllocatedBytes();
                // as KafkaTarget.deliver: one writer per batch
                try (ReadingJsonWriter writer = new ReadingJsonWriter()) {
                    for (int i = 0; i < batch.size(); i++) {
                        Reading reading = batch.get(i);
                        ProducerRecord<String, byte[]> record =
                                new ProducerRecord<>("busbar.readings", reading.meter(), writer.encode(reading));
                        sink += record.value().length;
                    }
                }
                long t2 = cpu.getCurrentThreadCpuTime();
                long b2 = memory.getCurrentThreadAllocatedBytes();
                counts[0] += t1 - t0;
                counts[1] += t2 - t1;
                counts[2] += b1 - b0;
                counts[3] += b2 - b1;
            }
        }
        return sink;
    }

    /** Keys of a later publish, derived on another thread as the mapping does (ReadingKey.of with a kept prefix). */
    private static void startIngest(Instant from, int burst) {
        Thread ingest = new Thread(() -> {
            String prefix = ReadingKey.prefix("bench", "Meter00001", "1-0:1.8.0");
            long sink = 0;
            for (long i = 0; ; i++) {
                sink += ReadingKey.of(prefix, from.plusMillis(100 * (i / 10_000))).length();
                if (i % burst == 0) {
                    LockSupport.parkNanos(1_000); // the timer slack makes it ~50 µs: burst keys per ~50 µs
                }
                if (sink == Long.MIN_VALUE) {
                    System.out.println(sink);
                }
            }
        }, "ingest");
        ingest.setDaemon(true);
        ingest.start();
    }

    private static List<byte[]> chunks(List<Reading> publish) {
        List<byte[]> chunks = new ArrayList<>();
        for (int from = 0; from < publish.size(); from += CHUNK) {
            chunks.add(ReadingChunkCodec.encode(publish.subList(from, Math.min(publish.size(), from + CHUNK))));
        }
        return chunks;
    }

    private static List<Reading> publish(Instant at, Random random) {
        List<Reading> readings = new ArrayList<>(READINGS);
        for (int m = 0; m < READINGS / 2; m++) {
            String meter = String.format(Locale.ROOT, "Meter%05d", m);
            long energy = 1_000_000_000L + random.nextInt(1_000_000_000);
            long power = 10_000 + random.nextInt(100_000);
            readings.add(reading(meter, "1-0:1.8.0", "kWh", BigDecimal.valueOf(energy, 3), BigDecimal.valueOf(energy),
                    at, random, Accumulation.REGISTER, "T0"));
            readings.add(reading(meter, "1-0:1.7.0", "kW", BigDecimal.valueOf(power, 3), BigDecimal.valueOf(power, 3),
                    at, random, Accumulation.INSTANTANEOUS, null));
        }
        return readings;
    }

    private static Reading reading(String meter, String quantity, String unit, BigDecimal value, BigDecimal raw,
                                   Instant at, Random random, Accumulation accumulation, String tariff) {
        Instant serverTime = at.plusNanos(3_000_000L + random.nextInt(180_000) * 100L);
        return new Reading(ReadingKey.of("bench", meter, quantity, at), "bench", ServerRole.SECONDARY, meter, quantity,
                value, unit, raw, at, serverTime, Quality.GOOD, 0, ValidationStatus.VALID, List.of(), null, null, null,
                List.of(), Medium.ELECTRICITY, accumulation, tariff);
    }
}
