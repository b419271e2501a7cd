package io.busbar.bench;

import io.busbar.support.FreePorts;
import java.io.IOException;
import java.time.Duration;
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
 * </ol>
 *
 * Everything runs on loopback; every process is stopped at the end. Each scenario is a class of its
 * own ({@link CeilingScenario}, {@link SteadyStateScenario}, {@link FailoverScenario},
 * {@link DrainScenario}); this class orders them and owns Kafka and the consumer.
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
        // the load servers start while Kafka does
        CompletableFuture<LoadServers> serversA = new CompletableFuture<>();
        Thread starter = new Thread(() -> {
            try {
                serversA.complete(bench.launcher.startServers("a", settings.tags, intervalA));
            } catch (Exception e) {
                serversA.completeExceptionally(e);
            }
        }, "bench-server-starter");
        starter.start();
        KafkaBroker kafka = new KafkaBroker(settings.out.resolve("kafka"), settings.logs, settings.classpath,
                FreePorts.free(), FreePorts.free());
        bench.kafka = kafka;
        long t = System.currentTimeMillis();
        kafka.start();
        kafka.createTopic(BusbarSetup.TOPIC, 2);
        report.progress("Kafka (KRaft) up in " + (System.currentTimeMillis() - t) + " ms at " + kafka.bootstrap());
        report.figure("kafka_start_ms", Long.toString(System.currentTimeMillis() - t));

        bench.tracker = new ReadingTracker(report.runStart, gcd(intervalA, intervalB),
                Math.max(settings.tags, settings.nominalTags));
        consumer = new TargetConsumer(kafka.bootstrap(), BusbarSetup.TOPIC, bench.tracker);
        consumer.start();

        SteadyStateScenario steady = new SteadyStateScenario(bench);
        FailoverScenario failover = new FailoverScenario(bench);
        DrainScenario drain = new DrainScenario(bench);

        // ---- phase A: ceiling and throughput at tags × hz
        LoadServers a = serversA.get(180, TimeUnit.SECONDS);
        new CeilingScenario(bench).run(a, intervalA);
        RunningBusbar busbarA = bench.startBusbar("busbar-throughput", a, intervalA, intervalA, Math.max(1, intervalA / 2));
        SteadyStateScenario.Measured throughput = steady.measure("throughput", busbarA, a, settings.measureS, intervalA);
        steady.recordThroughput(throughput, intervalA);

        if (settings.quick) {
            // the quick run checks failover and drain on the same setup
            failover.run(busbarA, a, intervalA);
            drain.run(busbarA, settings.tags, intervalA, throughput.window().latency.percentile(0.99));
            report.finishDeferred();
            busbarA.process().stop(Duration.ofSeconds(10));
            ProcessLauncher.stopServers(a);
            return;
        }
        busbarA.process().stop(Duration.ofSeconds(10));
        ProcessLauncher.stopServers(a);

        // ---- phase B: the nominal load, 10,000 readings/s with publishing 1 s
        LoadServers b = bench.launcher.startServers("b", settings.nominalTags, intervalB);
        RunningBusbar busbarB = bench.startBusbar("busbar-nominal", b, intervalB, intervalB, intervalB / 2);
        SteadyStateScenario.Measured nominal = steady.measure("nominal", busbarB, b, settings.nominalMeasureS, intervalB);
        steady.recordNominal(nominal, intervalB);
        long p99 = nominal.window().latency.percentile(0.99);
        failover.run(busbarB, b, intervalB);
        drain.run(busbarB, settings.nominalTags, intervalB, p99);
        report.finishDeferred();
        busbarB.process().stop(Duration.ofSeconds(10));
        ProcessLauncher.stopServers(b);
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

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
