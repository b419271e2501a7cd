package io.busbar.connectors.target.kafka;

import io.busbar.mappings.model.Quality;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.ReadingKey;
import io.busbar.mappings.model.ServerRole;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CPU time per reading of a Kafka target's topic for a template topic ({@link KafkaTopic#of}, which
 * {@code KafkaTarget.deliver} calls per reading), in the connector's package because the class is
 * package-private: {@code java -cp ... io.busbar.connectors.target.kafka.TopicCost [passes]}.
 * Thread CPU time over 2,000,000 readings per pass after 1,000,000 of warm-up.
 */
public final class TopicCost {

    public static void main(String[] args) {
        int passes = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Instant at = Instant.parse("2026-12-05T06:33:02Z");
        List<Reading> publish = new ArrayList<>();
        for (int m = 0; m < 5_000; m++) {
            String meter = String.format(Locale.ROOT, "Meter%05d", m);
            for (String quantity : List.of("1-0:1.8.0", "1-0:1.7.0")) {
                publish.add(new Reading(ReadingKey.of("bench", meter, quantity, at), "bench", ServerRole.PRIMARY, meter,
                        quantity, BigDecimal.ONE, "kWh", BigDecimal.ONE, at, at, Quality.GOOD, 0));
            }
        }
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        for (String template : List.of("busbar.{pair}.{quantity}", "busbar.{pair}.{meter}")) {
            KafkaTopic topic = new KafkaTopic(template);
            long sink = run(topic, publish, 100);
            for (int pass = 0; pass < passes; pass++) {
                long t0 = cpu.getCurrentThreadCpuTime();
                sink += run(topic, publish, 200);
                long ns = cpu.getCurrentThreadCpuTime() - t0;
                System.out.printf(Locale.ROOT, "%-26s pass %d: %.3f µs per reading (checksum %d)%n", template, pass,
                        ns / 1_000.0 / (200.0 * publish.size()), sink % 7);
            }
        }
    }

    private static long run(KafkaTopic topic, List<Reading> publish, int rounds) {
        long sink = 0;
        for (int round = 0; round < rounds; round++) {
            for (Reading reading : publish) {
                sink += topic.of(reading).length();
            }
        }
        return sink;
    }
}
