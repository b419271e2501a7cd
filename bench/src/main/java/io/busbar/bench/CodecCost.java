package io.busbar.bench;

import io.busbar.mappings.model.Quality;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.ReadingKey;
import io.busbar.mappings.model.ServerRole;
import io.busbar.mappings.wire.EncodedReadings;
import io.busbar.mappings.wire.ReadingChunkCodec;
import io.busbar.mappings.wire.ReadingCodec;
import io.busbar.mappings.wire.ReadingEncoder;
import io.busbar.mappings.wire.ReadingJsonWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time per reading of the buffer hand-off as Busbar does it, for the 10,000-tag bench publish
 * (5,000 meters × 2 quantities): ingest encodes the chunks, delivery decodes them, the Kafka target
 * takes each reading's JSON. Two ways: {@code json} (up to the binary chunk format: JSON batches of
 * 500, decoded keeping each reading's bytes) and {@code binary} (chunks of 2,000 in
 * {@link ReadingChunkCodec}, each reading encoded to JSON once on delivery with Jackson's generator,
 * {@link ReadingEncoder}) and {@code direct} (binary chunks, the JSON written by {@link ReadingJsonWriter}
 * as the Kafka target does since 2026-12-04).
 *
 * <p>Thread CPU time, not wall time, so the figure holds on a machine shared with other builds
 * (contention still adds cache misses: compare runs taken at the same time).
 *
 * <pre>bench/codec-cost [rounds]</pre>
 */
public final class CodecCost {

    private static final int READINGS = 10_000;

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        List<Reading> publish = publish(Instant.parse("2026-12-04T03:00:00Z"));
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        for (String way : List.of("json", "binary", "direct", "json", "binary", "direct")) { // the first three warm up
            long sink = 0;
            long[] stage = new long[3];
            for (int round = 0; round < rounds; round++) {
                List<byte[]> chunks = new ArrayList<>();
                long t0 = cpu.getCurrentThreadCpuTime();
                int size = way.equals("json") ? 500 : 2_000;
                for (int from = 0; from < READINGS; from += size) {
                    List<Reading> chunk = publish.subList(from, Math.min(READINGS, from + size));
                    chunks.add(way.equals("json") ? ReadingCodec.toJsonBatch(chunk) : ReadingChunkCodec.encode(chunk));
                }
                long t1 = cpu.getCurrentThreadCpuTime();
                List<List<Reading>> decoded = new ArrayList<>();
                for (byte[] chunk : chunks) {
                    decoded.add(way.equals("json") ? ReadingCodec.fromCanonicalJsonBatch(chunk) : ReadingChunkCodec.decode(chunk));
                }
                long t2 = cpu.getCurrentThreadCpuTime();
                try (ReadingEncoder encoder = new ReadingEncoder(); ReadingJsonWriter writer = new ReadingJsonWriter()) {
                    for (List<Reading> batch : decoded) {
                        for (int i = 0; i < batch.size(); i++) {
                            byte[] json = batch instanceof EncodedReadings kept ? kept.json(i)
                                    : way.equals("direct") ? writer.encode(batch.get(i)) : encoder.encode(batch.get(i));
                            sink += json.length;
                        }
                    }
                }
                long t3 = cpu.getCurrentThreadCpuTime();
                stage[0] += t1 - t0;
                stage[1] += t2 - t1;
                stage[2] += t3 - t2;
                sink += chunks.stream().mapToInt(c -> c.length).sum() / chunks.size();
            }
            double n = (double) rounds * READINGS * 1_000; // ns → µs per reading
            System.out.printf("%-6s  ingest encode %.2f µs  delivery decode %.2f µs  target JSON %.2f µs  total %.2f µs"
                            + " per reading  (chunk bytes per reading %.0f, checksum %d)%n", way, stage[0] / n,
                    stage[1] / n, stage[2] / n, (stage[0] + stage[1] + stage[2]) / n, bytesPerReading(way, publish), sink % 7);
        }
    }

    private static double bytesPerReading(String way, List<Reading> publish) {
        List<Reading> chunk = publish.subList(0, 500);
        return (way.equals("json") ? ReadingCodec.toJsonBatch(chunk) : ReadingChunkCodec.encode(chunk)).length / 500.0;
    }

    /** One publish as the bench mapping makes it: MeterNNNNN, an energy register and a power value each. */
    static List<Reading> publish(Instant at) {
        List<Reading> readings = new ArrayList<>(READINGS);
        for (int m = 0; m < READINGS / 2; m++) {
            String meter = String.format("Meter%05d", m);
            long raw = 1_000_000L + m * 37L;
            readings.add(reading(meter, "1-0:1.8.0", "kWh", BigDecimal.valueOf(raw, 3), BigDecimal.valueOf(raw), at));
            readings.add(reading(meter, "1-0:1.7.0", "kW", BigDecimal.valueOf(m % 500, 1), BigDecimal.valueOf(m % 500, 1),
                    at.plusMillis(100)));
        }
        return readings;
    }

    private static Reading reading(String meter, String quantity, String unit, BigDecimal value, BigDecimal raw, Instant at) {
        return new Reading(ReadingKey.of("bench", meter, quantity, at), "bench", ServerRole.PRIMARY, meter, quantity,
                value, unit, raw, at, at.plusMillis(3), Quality.GOOD, 0);
    }
}
