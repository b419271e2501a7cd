package io.busbar.bootstrap.targets;

import io.busbar.bootstrap.support.BufferedDelivery;
import io.busbar.connectors.target.Target;
import io.busbar.connectors.target.Targets;
import io.busbar.connectors.target.kafka.KafkaTargetSettings;
import io.busbar.mappings.model.Reading;
import io.busbar.routes.BufferLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Not a test (no *Test / *IT name, so the suite leaves it out): the delivery half of the 1 Hz
 * stage trace, measured alone and A/B in one JVM, so a busy machine weighs on both variants alike.
 * Each round writes a publish of {@value #READINGS} readings as the ingest does (slices of
 * {@value #SLICE} readings, one chunk per meter group, each durable on return, {@value #SLICE_GAP_MS}
 * ms apart as in the trace) to the buffer of a real Kafka target, and times last slice durable →
 * last Kafka ack. Variants alternate, a fresh buffer each:
 * {@code mvn -o -q -pl bootstrap -am test -Dtest=DeliveryTurnaroundProbe -Dsurefire.failIfNoSpecifiedTests=false
 * -Dprobe.parallelism=1,2 -Dprobe.rounds=30 -Dprobe.passes=3}; figures on stdout (surefire's -output.txt).
 */
class DeliveryTurnaroundProbe {

    private static final int READINGS = 10_000;
    private static final int SLICE = 2_500;
    private static final int SLICE_GAP_MS = 40;
    private static final String TOPIC = "busbar.readings";

    @Test
    void lastSliceDurableToLastAck() throws Exception {
        int rounds = Integer.getInteger("probe.rounds", 30);
        int passes = Integer.getInteger("probe.passes", 3);
        String[] variants = System.getProperty("probe.parallelism", "1,2").split(",");
        EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, 2, TOPIC);
        kafka.afterPropertiesSet();
        try {
            for (int pass = 0; pass < passes; pass++) {
                for (String variant : variants) {
                    int parallelism = Integer.parseInt(variant.trim());
                    long[] ms = measure(kafka.getBrokersAsString(), parallelism, rounds);
                    System.out.printf(Locale.ROOT, "probe pass=%d parallelism=%d rounds=%d last-durable->last-ack ms"
                                    + " p50=%d p90=%d max=%d cpu_us_per_reading=%d%n", pass, parallelism, rounds,
                            ms[0], ms[1], ms[2], ms[3]);
                }
            }
        } finally {
            kafka.destroy();
        }
    }

    /** {p50, p90, max} of last durable → last ack over the rounds after a warm-up, and the JVM's CPU µs per reading (embedded Kafka broker included). */
    private static long[] measure(String brokers, int parallelism, int rounds) throws Exception {
        Path dir = Files.createTempDirectory("probe");
        Target kafkaTarget = Targets.create(new KafkaTargetSettings("kafka", brokers, TOPIC));
        kafkaTarget.start();
        Acked target = new Acked(kafkaTarget);
        List<Long> times = new ArrayList<>();
        try (BufferedDelivery busbar = BufferedDelivery.start(dir, List.of(target), parallelism)) {
            while (busbar.buffer().broker().getActiveMQServer().locateQueue(BufferLayout.targetQueue("kafka"))
                    .getConsumerCount() < parallelism) {
                TimeUnit.MILLISECONDS.sleep(10);
            }
            int warmUp = 10;
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long cpuStart = 0;
            Instant t0 = Instant.parse("2026-12-05T00:00:00Z");
            for (int round = 0; round < warmUp + rounds; round++) {
                if (round == warmUp) {
                    cpuStart = os.getProcessCpuTime();
                }
                long startedAt = System.nanoTime();
                List<Reading> publish = BufferedDelivery.batch(READINGS, t0.plusSeconds(round), round);
                for (int from = 0; from < READINGS; from += SLICE) {
                    if (from > 0) {
                        TimeUnit.MILLISECONDS.sleep(SLICE_GAP_MS);
                    }
                    busbar.ingest(publish.subList(from, from + SLICE));
                }
                long durable = System.nanoTime();
                long expected = (long) READINGS * (round + 1);
                while (target.delivered.get() < expected) {
                    TimeUnit.MILLISECONDS.sleep(1);
                }
                if (round >= warmUp) {
                    times.add(TimeUnit.NANOSECONDS.toMillis(target.lastAckAt.get() - durable));
                }
                long rest = TimeUnit.SECONDS.toNanos(1) - (System.nanoTime() - startedAt);
                if (rest > 0) {
                    TimeUnit.NANOSECONDS.sleep(rest);
                }
            }
            long cpuUs = TimeUnit.NANOSECONDS.toMicros(os.getProcessCpuTime() - cpuStart);
            times.sort(null);
            return new long[] {times.get(times.size() / 2), times.get(times.size() * 9 / 10), times.get(times.size() - 1),
                    cpuUs / ((long) READINGS * rounds)};
        } finally {
            kafkaTarget.close();
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** The Kafka target, counting what it confirmed and when it last did. */
    private static final class Acked implements Target {
        private final Target target;
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong lastAckAt = new AtomicLong();

        Acked(Target target) {
            this.target = target;
        }

        @Override
        public String name() {
            return target.name();
        }

        @Override
        public void deliver(List<Reading> batch) throws Exception {
            target.deliver(batch);
            lastAckAt.set(System.nanoTime());
            delivered.addAndGet(batch.size());
        }
    }
}
