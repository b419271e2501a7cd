package io.busbar.bench;

import io.busbar.support.FreePorts;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the scenarios of issue 7 on this machine and prints a table, then key=value figures:
 *
 * <ol>
 *   <li><b>ceiling</b>: two load servers (separate processes) publish {@code tags} tags at {@code hz};
 *       a bare Milo client subscribed to both counts what the primary delivers.
 *   <li><b>throughput</b>: Busbar ({@code java -Xmx256m -jar busbar.jar run}, hot mode, both servers,
 *       Kafka target) on the same servers; readings/s acknowledged by Kafka, latency source time →
 *       Kafka append (LogAppendTime), CPU per process, RSS, heap; JFR profile of Busbar.
 *   <li><b>nominal</b> (full run only): {@code nominal-tags} at {@code nominal-hz} (10,000 readings/s),
 *       publishing 1 s: latency p99 against publishing interval + 250 ms, memory in -Xmx256m.
 *   <li><b>failover</b>: kill -9 of the primary server process; ms to the first reading from the
 *       secondary at Kafka; lost and duplicated readings over the switch.
 *   <li><b>drain</b>: kill -9 of the Kafka broker for {@code outage-s}, restart; readings/s while the
 *       backlog drains and the time until readings arrive at normal latency again.
 *   <li><b>scale</b>: Busbar in {@code -Xmx512m} against 1,000, 10,000 and 100,000 tags at 1 Hz (1,000
 *       and 10,000 in the quick run), more than one source pair above {@code scale-tags-per-pair}:
 *       readings/s, CPU per reading, heap, OOM, kept up or not, per tag count ({@code scale-interval-ms}
 *       for another rate than 1 Hz).
 * </ol>
 *
 * <p>{@code --only throughput,scale} runs the named scenarios only (in this order), to re-measure one
 * without the whole run.
 *
 * Everything runs on loopback; every process is stopped at the end. Each scenario is a class of its
 * own ({@link CeilingScenario}, {@link SteadyStateScenario}, {@link FailoverScenario},
 * {@link DrainScenario}, {@link ScaleScenario}); this class orders them and owns Kafka and the consumer.
 */
public final class Driver {

    private final Bench bench;
    private final BenchSettings settings;
    private final Report report;
    private TargetConsumer consumer;

    private Driver(BenchSettings settings) {
        this.bench = new Bench(settings);
        this.settings = settings;
        this.report = bench.report;
    }

    public static void main(String[] argv) throws Exception {
        Driver driver = new Driver(new BenchSettings(new Args(argv)));
        Runtime.getRuntime().addShutdownHook(new Thread(driver::killAll, "bench-cleanup"));
        int status = 0;
        try {
            driver.run();
        } catch (Exception e) {
            System.err.println("bench failed: " + e);
            e.printStackTrace();
            status = 1;
        } finally {
            driver.teardown();
        }
        driver.report();
        System.exit(status);
    }

    private void run() throws Exception {
        report.progress("output in " + settings.out);
        bench.sampler.start();
        if (settings.startupIdle != null) {
            try {
                StartupIdleFigures.read(settings.startupIdle).addTo(report.rows, report.figures);
            } catch (IOException e) {
                report.note("no start-up and idle figures: " + e.getMessage());
            }
        }

        long intervalA = 1000 / settings.hz;
        long intervalB = 1000 / settings.nominalHz;
        Set<String> on = settings.scenarios;
        report.progress("scenarios: " + String.join(", ", on));
        // the quick run checks failover and drain on the throughput setup, the full run on the nominal one
        boolean phaseA = on.contains("ceiling") || on.contains("throughput")
                || settings.quick && (on.contains("failover") || on.contains("drain"));
        boolean phaseB = !settings.quick && (on.contains("nominal") || on.contains("failover") || on.contains("drain"));
        boolean scale = on.contains("scale");
        if (settings.quick && on.contains("nominal") && !on.contains("throughput")) {
            report.note("nominal: the quick run takes its nominal keys from the throughput window; add throughput to --only");
        }
        // the load servers start while Kafka does
        CompletableFuture<LoadServers> serversA = new CompletableFuture<>();
        if (phaseA) {
            Thread starter = new Thread(() -> {
                try {
                    serversA.complete(bench.launcher.startServers("a", settings.tags, intervalA));
                } catch (Exception e) {
                    serversA.completeExceptionally(e);
                }
            }, "bench-server-starter");
            starter.start();
        }
        if (phaseB || scale || phaseA && !Set.of("ceiling").containsAll(on)) {
            startKafka(granularity(phaseA ? intervalA : 0, phaseB ? intervalB : 0, scale ? 1000 : 0),
                    Math.max(phaseA ? settings.tags : 0, Math.max(phaseB ? settings.nominalTags : 0,
                            scale ? settings.scaleTags.stream().mapToInt(Integer::intValue).max().orElse(0) : 0)));
        }

        SteadyStateScenario steady = new SteadyStateScenario(bench);
        FailoverScenario failover = new FailoverScenario(bench);
        DrainScenario drain = new DrainScenario(bench);

        // ---- phase A: ceiling and throughput at tags × hz (and in the quick run failover and drain)
        if (phaseA) {
            LoadServers a = serversA.get(180, TimeUnit.SECONDS);
            if (on.contains("ceiling")) {
                new CeilingScenario(bench).run(a, intervalA);
            }
            boolean quickFailoverOrDrain = settings.quick && (on.contains("failover") || on.contains("drain"));
            if (on.contains("throughput") || quickFailoverOrDrain) {
                RunningBusbar busbarA = bench.startBusbar("busbar-throughput", a, intervalA, intervalA, Math.max(1, intervalA / 2));
                long p99 = 0;
                if (on.contains("throughput")) {
                    SteadyStateScenario.Measured throughput = steady.measure("throughput", busbarA, a, settings.measureS, intervalA);
                    steady.recordThroughput(throughput, intervalA);
                    recordHeadline(throughput);
                    p99 = throughput.window().latency.percentile(0.99);
                } else {
                    Thread.sleep(settings.warmupS * 1000L);
                }
                if (settings.quick) {
                    failoverAndDrain(on, failover, drain, busbarA, a, settings.tags, intervalA, p99);
                }
                busbarA.process().stop(Duration.ofSeconds(10));
            }
            ProcessLauncher.stopServers(a);
        }

        // ---- phase B (full run): the nominal load, 10,000 readings/s with publishing 1 s
        if (phaseB) {
            LoadServers b = bench.launcher.startServers("b", settings.nominalTags, intervalB);
            RunningBusbar busbarB = bench.startBusbar("busbar-nominal", b, intervalB, intervalB, intervalB / 2);
            long p99 = 0;
            if (on.contains("nominal")) {
                SteadyStateScenario.Measured nominal = steady.measure("nominal", busbarB, b, settings.nominalMeasureS, intervalB);
                steady.recordNominal(nominal, intervalB);
                p99 = nominal.window().latency.percentile(0.99);
            } else {
                Thread.sleep(settings.warmupS * 1000L);
            }
            failoverAndDrain(on, failover, drain, busbarB, b, settings.nominalTags, intervalB, p99);
            busbarB.process().stop(Duration.ofSeconds(10));
            ProcessLauncher.stopServers(b);
        }

        // ---- scale: 1,000 / 10,000 / 100,000 tags at 1 Hz, each on its own servers and Busbar
        if (scale) {
            new ScaleScenario(bench).run();
        }
    }

    private void startKafka(long granularityMs, int trackedTags) throws Exception {
        KafkaBroker kafka = new KafkaBroker(settings.out.resolve("kafka"), settings.logs, settings.classpath,
                FreePorts.free(), FreePorts.free());
        bench.kafka = kafka;
        long t = System.currentTimeMillis();
        kafka.start();
        kafka.createTopic(BusbarSetup.TOPIC, 2);
        report.progress("Kafka (KRaft) up in " + (System.currentTimeMillis() - t) + " ms at " + kafka.bootstrap());
        report.figure("kafka_start_ms", Long.toString(System.currentTimeMillis() - t));
        bench.tracker = new ReadingTracker(report.runStart, granularityMs, trackedTags);
        consumer = new TargetConsumer(kafka.bootstrap(), BusbarSetup.TOPIC, bench.tracker);
        consumer.start();
    }

    /**
     * The headline keys of issue 12 from the throughput window: {@code cpu_us_per_reading}; and in the
     * quick run, whose throughput load is the nominal one's shape (1 Hz, publishing 1 s) on fewer
     * tags, the nominal keys from the same window, so the quick run prints the full run's keys.
     */
    private void recordHeadline(SteadyStateScenario.Measured throughput) {
        report.figure("cpu_us_per_reading", report.figures.getOrDefault("throughput_busbar_cpu_us_per_reading", "NaN"));
        if (!settings.quick || settings.hz != settings.nominalHz) {
            return;
        }
        ReadingTracker.Window w = throughput.window();
        report.figure("nominal_readings_per_s", String.format(Locale.ROOT, "%.0f", w.perSecond()));
        report.figure("nominal_latency_p50_ms", Long.toString(w.latency.percentile(0.5)));
        report.figure("nominal_latency_p99_ms", Long.toString(w.latency.percentile(0.99)));
        report.figure("nominal_latency_max_ms", Long.toString(w.latency.max()));
        report.figure("nominal_busbar_cpu_us_per_reading", report.figures.getOrDefault("throughput_busbar_cpu_us_per_reading", "NaN"));
        report.note(String.format("quick run: the nominal_* keys are the throughput window's (%,d tags × %d Hz, publishing %d ms)",
                settings.tags, settings.hz, 1000 / settings.hz));
    }

    private void teardown() {
        bench.sampler.stop();
        if (consumer != null) {
            try {
                consumer.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        bench.launcher.stopAll();
        if (bench.kafka != null) {
            try {
                bench.kafka.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void killAll() {
        bench.launcher.killAll();
        KafkaBroker kafka = bench.kafka;
        if (kafka != null && kafka.process() != null && kafka.process().isAlive()) {
            kafka.process().process.destroyForcibly();
        }
    }

    private void report() {
        for (JavaProcess p : bench.launcher.started()) {
            if (p.name.startsWith("busbar-") && ProcessProbes.mentions(p, "OutOfMemoryError")) {
                report.note(p.name + " logged java.lang.OutOfMemoryError during the run (see " + p.stdout + ")");
                report.figure(p.name.replace("busbar-", "") + "_oom", "true");
            }
        }
        report.print(settings.quick, settings.out);
    }

    /** The finest source-time step of the phases that run (0 = a phase that does not). */
    private static long granularity(long... intervalsMs) {
        long g = 0;
        for (long interval : intervalsMs) {
            g = gcd(g, interval);
        }
        return g == 0 ? 1000 : g;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** The selected ones of failover and drain on a running setup, then the report rows they deferred. */
    private void failoverAndDrain(Set<String> on, FailoverScenario failover, DrainScenario drain, RunningBusbar busbar,
                                  LoadServers servers, int tags, long intervalMs, long p99) throws Exception {
        if (on.contains("failover")) {
            failover.run(busbar, servers, intervalMs);
        }
        if (on.contains("drain")) {
            drain.run(busbar, tags, intervalMs, p99);
        }
        report.finishDeferred();
    }
}
