package io.busbar.bench;

import io.busbar.support.DaemonThreads;
import io.busbar.support.FreePorts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
 * Everything runs on loopback; every process is stopped at the end.
 */
public final class Driver {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Path repo;
    private final Path out;
    private final Path logs;
    private final String classpath;
    private final Path busbarJar;
    private final boolean quick;
    private final int tags;
    private final int hz;
    private final int nominalTags;
    private final int nominalHz;
    private final int warmupS;
    private final int measureS;
    private final int nominalMeasureS;
    private final int ceilingS;
    private final int outageS;
    private final int catchUpTimeoutS;
    private final boolean profile;
    private final String busbarHeap;
    private final int failoverTimeoutS;
    /** bench/startup-idle's output, measured by bench/run before the driver started; null when skipped. */
    private final Path startupIdle;
    private final long runStart = System.currentTimeMillis();

    private final List<JavaProcess> started = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, String> figures = new LinkedHashMap<>();
    private final List<String[]> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("bench-sampler"));
    /** (time ms, RSS kB) and (time ms, heap used bytes) of the Busbar process being measured. */
    private final List<long[]> rssSeries = new ArrayList<>();
    private final List<long[]> heapSeries = new ArrayList<>();
    private volatile JavaProcess sampled;
    private volatile int sampledHttpPort;
    private long samples;

    /** Counts that need the readings to have arrived: evaluated once the scenarios are over. */
    private final List<Runnable> deferred = new ArrayList<>();
    private KafkaBroker kafka;
    private ReadingTracker tracker;
    private TargetConsumer consumer;

    private Driver(Args args) throws IOException {
        repo = Path.of(args.required("repo")).toAbsolutePath().normalize();
        out = Path.of(args.get("out", repo.resolve("bench/out").resolve(STAMP.format(Instant.now())).toString()))
                .toAbsolutePath();
        logs = out.resolve("logs");
        classpath = args.required("classpath");
        busbarJar = Path.of(args.get("busbar-jar", repo.resolve("bootstrap/target/busbar.jar").toString()));
        quick = args.flag("quick");
        tags = args.getInt("tags", quick ? 2_000 : 10_000);
        hz = args.getInt("hz", quick ? 1 : 10);
        nominalTags = args.getInt("nominal-tags", 10_000);
        nominalHz = args.getInt("nominal-hz", 1);
        warmupS = args.getInt("warmup-s", quick ? 5 : 10);
        measureS = args.getInt("measure-s", quick ? 15 : 60);
        nominalMeasureS = args.getInt("nominal-measure-s", 30);
        ceilingS = args.getInt("ceiling-s", quick ? 8 : 20);
        outageS = args.getInt("outage-s", quick ? 10 : 60);
        catchUpTimeoutS = args.getInt("catch-up-timeout-s", quick ? 30 : 45);
        busbarHeap = args.get("xmx", "256m");
        failoverTimeoutS = args.getInt("failover-timeout-s", 20);
        profile = !args.flag("no-profile");
        startupIdle = args.get("startup-idle", null) == null ? null : Path.of(args.get("startup-idle", null));
        if (tags % 2 != 0 || nominalTags % 2 != 0 || 1000 % hz != 0 || 1000 % nominalHz != 0) {
            throw new IllegalArgumentException("tags must be even and hz must divide 1000");
        }
        Files.createDirectories(logs);
    }

    public static void main(String[] argv) throws Exception {
        Driver driver = new Driver(new Args(argv));
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

    // ------------------------------------------------------------------------------------------

    private void run() throws Exception {
        progress("output in " + out);
        sampler.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
        if (startupIdle != null) {
            try {
                StartupIdleFigures.read(startupIdle).addTo(rows, figures);
            } catch (IOException e) {
                notes.add("no start-up and idle figures: " + e.getMessage());
            }
        }

        long intervalA = 1000 / hz;
        long intervalB = 1000 / nominalHz;
        // the load servers start while Kafka does
        CompletableFuture<Servers> serversA = new CompletableFuture<>();
        Thread starter = new Thread(() -> {
            try {
                serversA.complete(startServers("a", tags, intervalA));
            } catch (Exception e) {
                serversA.completeExceptionally(e);
            }
        }, "bench-server-starter");
        starter.start();
        kafka = new KafkaBroker(out.resolve("kafka"), logs, classpath, FreePorts.free(), FreePorts.free());
        long t = System.currentTimeMillis();
        kafka.start();
        kafka.createTopic(BusbarSetup.TOPIC, 2);
        progress("Kafka (KRaft) up in " + (System.currentTimeMillis() - t) + " ms at " + kafka.bootstrap());
        figures.put("kafka_start_ms", Long.toString(System.currentTimeMillis() - t));

        tracker = new ReadingTracker(runStart, gcd(intervalA, intervalB), Math.max(tags, nominalTags));
        consumer = new TargetConsumer(kafka.bootstrap(), BusbarSetup.TOPIC, tracker);
        consumer.start();

        // ---- phase A: ceiling and throughput at tags × hz
        Servers a = serversA.get(180, TimeUnit.SECONDS);
        ceiling(a, intervalA);
        Busbar busbarA = startBusbar("busbar-throughput", a, intervalA, intervalA, Math.max(1, intervalA / 2));
        Measured throughput = measure("throughput", busbarA, a, measureS, intervalA);
        recordThroughput(throughput, intervalA);

        if (quick) {
            // the quick run checks failover and drain on the same setup
            failover(busbarA, a, intervalA, throughput.window.latency.percentile(0.99));
            drain(busbarA, tags, intervalA, throughput.window.latency.percentile(0.99));
            finishDeferred();
            busbarA.process.stop(Duration.ofSeconds(10));
            stopServers(a);
            return;
        }
        busbarA.process.stop(Duration.ofSeconds(10));
        stopServers(a);

        // ---- phase B: the nominal load, 10,000 readings/s with publishing 1 s
        Servers b = startServers("b", nominalTags, intervalB);
        Busbar busbarB = startBusbar("busbar-nominal", b, intervalB, intervalB, intervalB / 2);
        Measured nominal = measure("nominal", busbarB, b, nominalMeasureS, intervalB);
        recordNominal(nominal, intervalB);
        long p99 = nominal.window.latency.percentile(0.99);
        failover(busbarB, b, intervalB, p99);
        drain(busbarB, nominalTags, intervalB, p99);
        finishDeferred();
        busbarB.process.stop(Duration.ofSeconds(10));
        stopServers(b);
    }

    // ---- processes ----------------------------------------------------------------------------

    private record Servers(JavaProcess primary, JavaProcess secondary, String primaryEndpoint, String secondaryEndpoint,
                           int tags, long intervalMs) {
    }

    private record Busbar(JavaProcess process, int httpPort, Path dir, long firstReadingMs) {
    }

    private Servers startServers(String phase, int tagCount, long intervalMs) throws Exception {
        long t = System.currentTimeMillis();
        JavaProcess primary = startJava("server-" + phase + "-primary", List.of("-Xms512m", "-Xmx1g"),
                "io.busbar.bench.LoadServer", "--name", "primary", "--port", Integer.toString(FreePorts.free()),
                "--tags", Integer.toString(tagCount), "--interval-ms", Long.toString(intervalMs));
        JavaProcess secondary = startJava("server-" + phase + "-secondary", List.of("-Xms512m", "-Xmx1g"),
                "io.busbar.bench.LoadServer", "--name", "secondary", "--port", Integer.toString(FreePorts.free()),
                "--tags", Integer.toString(tagCount), "--interval-ms", Long.toString(intervalMs));
        String p = primary.awaitLine("READY", Duration.ofSeconds(120)).split(" ")[1];
        String s = secondary.awaitLine("READY", Duration.ofSeconds(120)).split(" ")[1];
        progress(String.format("load servers up in %d ms: %d tags every %d ms = %,d values/s each (%s, %s)",
                System.currentTimeMillis() - t, tagCount, intervalMs, tagCount * 1000 / intervalMs, p, s));
        return new Servers(primary, secondary, p, s, tagCount, intervalMs);
    }

    private void stopServers(Servers servers) throws InterruptedException {
        servers.primary.stop(Duration.ofSeconds(5));
        servers.secondary.stop(Duration.ofSeconds(5));
    }

    private JavaProcess startJava(String name, List<String> jvm, String main, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(JavaProcess.javaBinary());
        command.addAll(jvm);
        command.add("-cp");
        command.add(classpath);
        command.add(main);
        command.addAll(List.of(args));
        JavaProcess process = JavaProcess.start(name, command, logs, out);
        started.add(process);
        return process;
    }

    private Busbar startBusbar(String name, Servers servers, long intervalMs, long publishingMs, long samplingMs)
            throws Exception {
        Path dir = out.resolve(name);
        Path config = BusbarSetup.writeConfig(dir, servers.primaryEndpoint, servers.secondaryEndpoint, servers.tags,
                publishingMs, samplingMs, kafka.bootstrap());
        int httpPort = FreePorts.free();
        long before = tracker.total();
        JavaProcess process = BusbarSetup.start(name, busbarJar, busbarHeap, config, httpPort, logs, List.of());
        started.add(process);
        synchronized (rssSeries) {
            rssSeries.clear();
            heapSeries.clear();
        }
        sampled = process;
        sampledHttpPort = httpPort;
        long deadline = System.currentTimeMillis() + 240_000;
        while (tracker.total() == before) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.process.exitValue() + "; see "
                        + process.stdout + "\n" + JavaProcess.tail(process.stdout, 20));
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(name + " delivered nothing within 240 s; see " + process.stdout);
            }
            Thread.sleep(100);
        }
        long first = System.currentTimeMillis();
        progress(String.format("%s: first reading at Kafka %.1f s after start (publishing %d ms, sampling %d ms)",
                name, (first - process.startedMs) / 1000.0, publishingMs, samplingMs));
        figures.put(name.replace("busbar-", "") + "_first_reading_s",
                String.format(Locale.ROOT, "%.1f", (first - process.startedMs) / 1000.0));
        return new Busbar(process, httpPort, dir, first);
    }

    // ---- scenarios ----------------------------------------------------------------------------

    private void ceiling(Servers servers, long intervalMs) throws Exception {
        long sampling = Math.max(1, intervalMs / 2);
        JavaProcess client = startJava("ceiling-client", List.of("-Xmx1g"), "io.busbar.bench.CeilingClient",
                "--endpoints", servers.primaryEndpoint + "," + servers.secondaryEndpoint,
                "--tags", Integer.toString(servers.tags), "--publishing-ms", Long.toString(intervalMs),
                "--sampling-ms", Long.toString(sampling), "--interval-ms", Long.toString(intervalMs),
                "--warmup-s", "3", "--duration-s", Integer.toString(ceilingS));
        client.awaitLine("subscribed_ms", Duration.ofSeconds(120));
        Thread.sleep(3_000);
        Cpu cpu = Cpu.start(List.of(servers.primary, servers.secondary, client));
        long from = System.currentTimeMillis();
        client.process.waitFor(ceilingS + 60L, TimeUnit.SECONDS);
        long to = System.currentTimeMillis();
        Map<String, Double> cores = cpu.cores(List.of(servers.primary, servers.secondary));
        Map<String, String> kv = new LinkedHashMap<>();
        for (String line : client.keyValues()) {
            kv.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
        }
        // the client is gone by now: what it used is not in the machine's busy time of other processes
        cores.put("driver", cores.get("driver") + Double.parseDouble(kv.getOrDefault("client_cpu_cores", "0")));
        if (!kv.containsKey("primary_values_per_s")) {
            throw new IllegalStateException("the ceiling client printed no result; see " + client.stderr + "\n"
                    + JavaProcess.tail(client.stderr, 15));
        }
        double ceiling = Double.parseDouble(kv.get("primary_values_per_s"));
        figures.put("ceiling_readings_per_s", String.format(Locale.ROOT, "%.0f", ceiling));
        figures.put("ceiling_secondary_values_per_s", kv.get("secondary_values_per_s"));
        figures.put("ceiling_latency_p99_ms", kv.get("primary_latency_p99_ms"));
        figures.put("ceiling_subscribe_ms", kv.get("subscribed_ms"));
        row("ceiling", "bare Milo client, values/s from the primary (both servers subscribed)", fmt(ceiling),
                "", "");
        row("", "  offered per server", fmt(servers.tags * 1000.0 / intervalMs), "", "");
        row("", "  latency source→client p50 / p99 / max ms", kv.get("primary_latency_p50_ms") + " / "
                + kv.get("primary_latency_p99_ms") + " / " + kv.get("primary_latency_max_ms"), "", "");
        row("", "  CPU cores: client / primary / secondary", String.format(Locale.ROOT, "%.2f / %.2f / %.2f",
                Double.parseDouble(kv.getOrDefault("client_cpu_cores", "0")), cores.get(servers.primary.name),
                cores.get(servers.secondary.name)), "", "");
        row("", "  " + servers.tags + " monitored items created in ms", kv.get("subscribed_ms"), "", "");
        row("", "  server updates published / slots begun (primary)", pct(serverKeptUp(servers.primary, from, to)),
                "", "");
        row("", "  CPU cores used by other processes on this machine", String.format(Locale.ROOT, "%.2f",
                cpu.foreignCores(cores)), "", "");
        progress(String.format("ceiling: %,.0f values/s from the primary (%s from the secondary), p99 %s ms",
                ceiling, kv.get("secondary_values_per_s"), kv.get("primary_latency_p99_ms")));
    }

    /** A measured window of a running Busbar. */
    private record Measured(ReadingTracker.Window window, long fromMs, long toMs, Map<String, Double> cores,
                            double machineBusy, double foreignCores, double serverKeptUp, long rssMaxKb, long rssAvgKb, long heapMaxBytes, long heapAvgBytes,
                            double forwardedPerS, double deliveredPerS, ReadingTracker.Completeness completeness,
                            Path jfr, long liveHeapBytes) {
    }

    private Measured measure(String name, Busbar busbar, Servers servers, int seconds, long intervalMs) throws Exception {
        Thread.sleep(warmupS * 1000L);
        // Busbar starts with a backlog (subscriptions deliver before everything is warm): give it a
        // bounded time to catch up, so the window shows the steady state if there is one
        long caughtUpLatency = 2 * intervalMs + 1_000;
        long waitUntil = System.currentTimeMillis() + (quick ? 8_000 : 15_000);
        boolean caughtUp = false;
        while (System.currentTimeMillis() < waitUntil) {
            long now = System.currentTimeMillis();
            ReadingTracker.Window recent = tracker.window(now - 2_000, now);
            if (recent.count > 0 && recent.latency.percentile(0.5) <= caughtUpLatency) {
                caughtUp = true;
                break;
            }
            Thread.sleep(500);
        }
        figures.put(name + "_caught_up_before_window", Boolean.toString(caughtUp));
        if (!caughtUp) {
            notes.add(name + ": Busbar had not caught up with its start-up backlog (median latency ≤ "
                    + caughtUpLatency + " ms) before the window; it delivers at its limit during the window");
        }
        List<JavaProcess> processes = List.of(busbar.process, servers.primary, servers.secondary, kafka.process());
        Path jfr = out.resolve(name + "-busbar.jfr");
        Path serverJfr = out.resolve(name + "-server-primary.jfr");
        if (profile) {
            jcmd(busbar.process, "JFR.start", "name=bench", "settings=profile", "filename=" + jfr);
            jcmd(servers.primary, "JFR.start", "name=bench", "settings=profile", "filename=" + serverJfr);
        }
        String before = BusbarSetup.scrape(busbar.httpPort);
        Cpu cpu = Cpu.start(processes);
        long from = System.currentTimeMillis();
        progress(String.format("%s: measuring %d s", name, seconds));
        Thread.sleep(seconds * 1000L);
        long to = System.currentTimeMillis();
        Map<String, Double> cores = cpu.cores(processes);
        double machineBusy = cpu.machineBusy();
        String after = BusbarSetup.scrape(busbar.httpPort);
        if (profile) {
            jcmd(busbar.process, "JFR.stop", "name=bench");
            jcmd(servers.primary, "JFR.stop", "name=bench");
        }
        long liveHeap = classHistogram(busbar.process, out.resolve(name + "-busbar-histogram.txt"));
        double window = (to - from) / 1000.0;
        double forwarded = (BusbarSetup.metric(after, "busbar_source_forwarded_total", "")
                - BusbarSetup.metric(before, "busbar_source_forwarded_total", "")) / window;
        double delivered = (BusbarSetup.metric(after, "busbar_target_delivered_total", "")
                - BusbarSetup.metric(before, "busbar_target_delivered_total", "")) / window;
        long[] rss = stats(rssSeries, from, to);
        long[] heap = stats(heapSeries, from, to);
        // let readings of the window's last source times arrive before counting what is missing
        Thread.sleep(Math.min(10_000, 3_000 + 2 * intervalMs));
        ReadingTracker.Window w = tracker.window(from, to);
        ReadingTracker.Completeness c = tracker.completeness(from, to - 2 * intervalMs, intervalMs, servers.tags);
        if (profile) {
            summarise(jfr, out.resolve(name + "-busbar-profile.txt"));
            summarise(serverJfr, out.resolve(name + "-server-primary-profile.txt"));
        }
        progress(String.format("%s: %,.0f readings/s at Kafka, p50 %d ms, p99 %d ms; busbar %.2f cores, RSS max %d MB",
                name, w.perSecond(), w.latency.percentile(0.5), w.latency.percentile(0.99),
                cores.get(busbar.process.name), rss[0] / 1024));
        return new Measured(w, from, to, cores, machineBusy, cpu.foreignCores(cores),
                serverKeptUp(servers.primary, from, to), rss[0], rss[1], heap[0], heap[1], forwarded, delivered, c,
                profile ? jfr : null, liveHeap);
    }

    private void recordThroughput(Measured m, long intervalMs) {
        double offered = tags * 1000.0 / intervalMs;
        double throughput = m.window.perSecond();
        double ceiling = Double.parseDouble(figures.getOrDefault("ceiling_readings_per_s", "0"));
        double ratio = ceiling == 0 ? 0 : throughput / ceiling;
        figures.put("throughput_readings_per_s", String.format(Locale.ROOT, "%.0f", throughput));
        figures.put("ratio", String.format(Locale.ROOT, "%.2f", ratio));
        figures.put("latency_p50_ms", Long.toString(m.window.latency.percentile(0.50)));
        figures.put("latency_p99_ms", Long.toString(m.window.latency.percentile(0.99)));
        figures.put("latency_max_ms", Long.toString(m.window.latency.max()));
        figures.put("rss_mb", Long.toString(m.rssMaxKb / 1024));
        figures.put("heap_used_max_mb", Long.toString(m.heapMaxBytes / (1024 * 1024)));
        figures.put("heap_live_mb", Long.toString(m.liveHeapBytes / (1024 * 1024)));
        figures.put("busbar_xmx", busbarHeap);
        figures.put("busbar_cpu_cores", String.format(Locale.ROOT, "%.2f", m.cores.get(sampledName("throughput"))));
        figures.put("busbar_ingest_readings_per_s", String.format(Locale.ROOT, "%.0f", m.forwardedPerS));
        figures.put("throughput_missing", Long.toString(m.completeness.missing));
        String load = String.format("%,d tags × %d Hz = %,.0f/s", tags, hz, offered);
        row("throughput", "readings/s acknowledged by Kafka (" + load + ", " + m.window.seconds + " s)",
                fmt(throughput), "≥ 50,000", verdictAtLeast(throughput, 50_000));
        row("", "  ratio to the ceiling", String.format(Locale.ROOT, "%.2f", ratio), "≥ 0.5", verdictAtLeast(ratio, 0.5));
        row("", "  latency source→Kafka p50 / p99 / max ms", m.window.latency.percentile(0.5) + " / "
                + m.window.latency.percentile(0.99) + " / " + m.window.latency.max(), "", "");
        row("", "  Busbar readings/s made durable (ingest) / delivered",
                fmt(m.forwardedPerS) + " / " + fmt(m.deliveredPerS), "", m.forwardedPerS > m.deliveredPerS * 1.02
                        ? "backlog grows" : "");
        row("", "  of the window's readings, not (yet) at Kafka 3 s after it (of " + fmt(m.completeness.expected) + ")",
                fmt(m.completeness.missing) + String.format(Locale.ROOT, " (%.1f%%)",
                        100.0 * m.completeness.missing / Math.max(1, m.completeness.expected)), "", "");
        cpuRows(m);
    }

    private void recordNominal(Measured m, long intervalMs) {
        long p99 = m.window.latency.percentile(0.99);
        long goal = intervalMs + 250;
        figures.put("nominal_readings_per_s", String.format(Locale.ROOT, "%.0f", m.window.perSecond()));
        figures.put("nominal_latency_p50_ms", Long.toString(m.window.latency.percentile(0.5)));
        figures.put("nominal_latency_p99_ms", Long.toString(p99));
        figures.put("nominal_latency_max_ms", Long.toString(m.window.latency.max()));
        figures.put("nominal_rss_mb", Long.toString(m.rssMaxKb / 1024));
        figures.put("nominal_heap_used_max_mb", Long.toString(m.heapMaxBytes / (1024 * 1024)));
        figures.put("nominal_heap_live_mb", Long.toString(m.liveHeapBytes / (1024 * 1024)));
        figures.put("nominal_busbar_cpu_cores", String.format(Locale.ROOT, "%.2f", m.cores.get(sampledName("nominal"))));
        figures.put("nominal_missing", Long.toString(m.completeness.missing));
        String load = String.format("%,d tags × %d Hz, publishing %d ms", nominalTags, nominalHz, intervalMs);
        row("nominal", "readings/s at Kafka (" + load + ", " + m.window.seconds + " s)", fmt(m.window.perSecond()),
                fmt(nominalTags * 1000.0 / intervalMs), verdictAtLeast(m.window.perSecond(), 0.98 * nominalTags * 1000.0 / intervalMs));
        row("", "  latency source→Kafka p99 ms (p50 / max)", m.window.count == 0 ? "none arrived"
                : p99 + " (" + m.window.latency.percentile(0.5) + " / " + m.window.latency.max() + ")", "≤ " + goal,
                m.window.count == 0 ? "MISSED (no readings)" : verdictAtMost(p99, goal));
        boolean oom = mentions(sampledProcess(), "OutOfMemoryError");
        row("", "  Busbar in -Xmx" + busbarHeap + ": heap used max / avg MB (OOM: see the notes too)", m.heapMaxBytes == 0 ? "? (no metrics)"
                : m.heapMaxBytes / (1024 * 1024) + " / " + m.heapAvgBytes / (1024 * 1024), "no OOM",
                oom ? "MISSED (OutOfMemoryError)" : "met");
        row("", "  of the window's readings, not (yet) at Kafka 3 s after it (of " + fmt(m.completeness.expected) + ")",
                fmt(m.completeness.missing), "0", m.completeness.missing == 0 ? "met" : "MISSED");
        cpuRows(m);
    }

    private void cpuRows(Measured m) {
        double busbarCores = m.cores.entrySet().stream().filter(e -> e.getKey().startsWith("busbar"))
                .mapToDouble(Map.Entry::getValue).sum();
        double perReading = m.window.count == 0 ? Double.NaN : busbarCores * 1e6 / m.window.perSecond();
        row("", "  Busbar CPU per reading delivered, µs", Double.isNaN(perReading) ? "-" : fmt(perReading), "", "");
        figures.put(sampledProcess().name.replace("busbar-", "") + "_busbar_cpu_us_per_reading",
                Double.isNaN(perReading) ? "NaN" : String.format(Locale.ROOT, "%.0f", perReading));
        StringBuilder s = new StringBuilder();
        m.cores.entrySet().stream().filter(e -> !e.getKey().equals("driver")).forEach(e -> s.append(String.format(Locale.ROOT, "%s %.2f, ",
                e.getKey().replaceAll("^server-[ab]-", "").replaceAll("^busbar-.*", "busbar").replaceAll("^kafka.*", "kafka"),
                e.getValue())));
        s.append(String.format(Locale.ROOT, "driver+consumer %.2f", m.cores.getOrDefault("driver", 0.0)));
        row("", "  CPU cores (of " + Runtime.getRuntime().availableProcessors() + "): " + s,
                String.format(Locale.ROOT, "machine %.0f%% busy", 100 * m.machineBusy), "", "");
        row("", "  CPU cores used by other processes on this machine", String.format(Locale.ROOT, "%.2f",
                m.foreignCores), "", "");
        row("", "  server updates published / slots begun (primary)", pct(m.serverKeptUp), "", "");
        row("", "  Busbar RSS max / avg MB", m.rssMaxKb / 1024 + " / " + m.rssAvgKb / 1024, "", "");
        row("", "  Busbar heap used max / live after full GC MB (-Xmx" + busbarHeap + ")",
                m.heapMaxBytes / (1024 * 1024) + " / " + (m.liveHeapBytes < 0 ? "?" : m.liveHeapBytes / (1024 * 1024)), "", "");
    }

    private void failover(Busbar busbar, Servers servers, long intervalMs, long steadyP99) throws Exception {
        Thread.sleep(2_000);
        long kill = System.currentTimeMillis();
        CompletableFuture<Long> firstSecondary = tracker.watchServer("secondary", kill);
        servers.primary.kill9();
        progress("failover: killed the primary server (kill -9, pid " + servers.primary.pid() + ")");
        Long first = null;
        try {
            first = firstSecondary.get(failoverTimeoutS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            notes.add("failover: no reading from the secondary reached Kafka within " + failoverTimeoutS
                    + " s of the kill (readings were late before the kill: see the latency)");
        }
        long failoverMs = first == null ? -1 : first - kill;
        // a window of source times around the kill, counted at the end of the run (the readings may
        // be late); the next scenario starts once the window is over
        long from = kill - (quick ? 3_000 : 5_000);
        long to = kill + (quick ? 6_000 : 10_000);
        Thread.sleep(Math.max(0, to + 1_000 - System.currentTimeMillis()));
        long switchLogged = logTime(busbar.process, "active server primary -> secondary", kill);
        figures.put("failover_ms", Long.toString(failoverMs));
        if (switchLogged > 0) {
            figures.put("failover_switch_logged_ms", Long.toString(switchLogged - kill));
        }
        row("failover", "kill -9 primary → first secondary reading at Kafka, ms", failoverMs < 0
                ? "none in " + failoverTimeoutS + " s" : Long.toString(failoverMs),
                "≤ 1,000", failoverMs >= 0 ? verdictAtMost(failoverMs, 1000) : "MISSED");
        if (switchLogged > 0) {
            row("", "  of which: kill → Busbar logs the switch, ms", Long.toString(switchLogged - kill), "", "");
        }
        int at = rows.size();
        progress(String.format("failover: %s ms to the first secondary reading at Kafka; switch logged after %d ms",
                failoverMs < 0 ? "none" : Long.toString(failoverMs), switchLogged < 0 ? -1 : switchLogged - kill));
        deferred.add(() -> {
            ReadingTracker.Completeness c = tracker.completeness(from, to, intervalMs, servers.tags);
            long[] span = tracker.missingSpan(from, to, intervalMs, servers.tags);
            figures.put("lost", Long.toString(c.missing));
            figures.put("duplicates", Long.toString(c.duplicates));
            List<String[]> add = new ArrayList<>();
            add.add(new String[] {"", "  lost: not at Kafka by the end of the run, source times kill−" + (kill - from) / 1000
                    + " s .. kill+" + (to - kill) / 1000 + " s (" + fmt(c.expected) + " expected)", fmt(c.missing), "0",
                    c.missing == 0 ? "met" : "MISSED by " + fmt(c.missing)});
            if (c.missing > 0) {
                add.add(new String[] {"", "  missing source times", Instant.ofEpochMilli(span[0]) + " .. "
                        + Instant.ofEpochMilli(span[1]) + " (kill at " + Instant.ofEpochMilli(kill) + ")", "", ""});
            }
            add.add(new String[] {"", "  duplicates over the same window", fmt(c.duplicates), "0",
                    c.duplicates == 0 ? "met" : "MISSED by " + fmt(c.duplicates)});
            rows.addAll(at, add);
            progress(String.format("failover: lost %d, duplicates %d (counted at the end)", c.missing, c.duplicates));
        });
    }

    private void drain(Busbar busbar, int tagCount, long intervalMs, long steadyP99) throws Exception {
        long threshold = Math.max(2 * steadyP99, intervalMs + 1_000);
        String before = BusbarSetup.scrape(busbar.httpPort);
        long down = System.currentTimeMillis();
        kafka.kill9();
        progress("drain: killed the Kafka broker (kill -9) for " + outageS + " s");
        Thread.sleep(outageS * 1000L);
        String atRestart = BusbarSetup.scrape(busbar.httpPort);
        long restart = System.currentTimeMillis();
        kafka.start();
        started.add(kafka.process());
        long up = System.currentTimeMillis();
        CompletableFuture<Long> resumed = tracker.watchLatencyBelow(Long.MAX_VALUE, up);
        CompletableFuture<Long> caughtUp = tracker.watchLatencyBelow(threshold, up);
        progress(String.format("drain: Kafka back after %.1f s down (restart took %d ms); waiting for the backlog",
                (up - down) / 1000.0, up - restart));
        Long resumedAt = null;
        Long caughtUpAt = null;
        try {
            caughtUpAt = caughtUp.get(catchUpTimeoutS, TimeUnit.SECONDS);
            resumedAt = resumed.get(1, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            resumedAt = resumed.getNow(null);
            notes.add("drain: not caught up within " + catchUpTimeoutS + " s of Kafka's restart");
        }
        long end = caughtUpAt != null ? caughtUpAt : System.currentTimeMillis();
        double backlog = BusbarSetup.metric(atRestart, "busbar_source_forwarded_total", "")
                - BusbarSetup.metric(before, "busbar_source_forwarded_total", "");
        long drained = resumedAt == null ? 0 : tracker.window(resumedAt, end).count;
        double drainSeconds = resumedAt == null ? 0 : Math.max(1, (end - resumedAt)) / 1000.0;
        double drainRate = drainSeconds == 0 ? 0 : drained / drainSeconds;
        double ingest = tagCount * 1000.0 / intervalMs;
        figures.put("drain_readings_per_s", String.format(Locale.ROOT, "%.0f", drainRate));
        figures.put("drain_catch_up_s", caughtUpAt == null ? "-1"
                : String.format(Locale.ROOT, "%.1f", (caughtUpAt - up) / 1000.0));
        figures.put("drain_resume_after_up_ms", resumedAt == null ? "-1" : Long.toString(resumedAt - up));
        figures.put("drain_outage_s", String.format(Locale.ROOT, "%.1f", (up - down) / 1000.0));
        figures.put("drain_backlog_readings", String.format(Locale.ROOT, "%.0f", backlog));
        // lost/duplicates over the outage: counted at the end of the run
        row("drain", String.format("Kafka killed for %d s (+ %.0f s restart): readings/s while draining", outageS,
                (up - restart) / 1000.0), fmt(drainRate),
                "≥ 2 × ingest = " + fmt(2 * ingest), verdictAtLeast(drainRate, 2 * ingest));
        row("", "  time from Kafka up to caught up (latency ≤ " + threshold + " ms), s", caughtUpAt == null
                ? "> " + catchUpTimeoutS : String.format(Locale.ROOT, "%.1f", (caughtUpAt - up) / 1000.0), "", "");
        row("", "  of which: Kafka up → first delivery, ms", resumedAt == null ? "none" : Long.toString(resumedAt - up),
                "", "");
        row("", "  backlog when Kafka came back (readings made durable meanwhile)",
                Double.isNaN(backlog) ? "? (no metrics)" : fmt(backlog), "", "");
        int at = rows.size();
        long lossFrom = down - 5_000;
        // source times up to Kafka's return, but only those that had time to arrive by the catch-up
        long lossTo = caughtUpAt == null ? up : Math.min(up, caughtUpAt - threshold);
        deferred.add(() -> {
            ReadingTracker.Completeness c = tracker.completeness(lossFrom, lossTo, intervalMs, tagCount);
            figures.put("drain_lost", Long.toString(c.missing));
            figures.put("drain_duplicates", Long.toString(c.duplicates));
            rows.add(at, new String[] {"", "  undelivered (still buffered, or lost) by the end of the run / duplicates,"
                    + " source times kill−5 s .. Kafka up (" + fmt(c.expected) + " expected)", fmt(c.missing) + " / "
                    + fmt(c.duplicates), "0 / 0", c.missing == 0 && c.duplicates == 0 ? "met" : "MISSED"});
        });
        progress(String.format("drain: %,.0f readings/s, caught up %s s after Kafka was back", drainRate,
                figures.get("drain_catch_up_s")));
    }

    /** Counts lost and duplicated readings of the failover and drain windows, as late as possible. */
    private void finishDeferred() throws InterruptedException {
        Thread.sleep(3_000);
        // later scenarios first: each inserts its rows at the position it recorded
        for (int i = deferred.size() - 1; i >= 0; i--) {
            deferred.get(i).run();
        }
        deferred.clear();
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** Updates the server published / slots that began, over [from, to], from its STATS lines. */
    private static double serverKeptUp(JavaProcess server, long from, long to) {
        long[] before = null;
        long[] after = null;
        try {
            for (String line : Files.readAllLines(server.stdout, StandardCharsets.UTF_8)) {
                if (!line.startsWith("STATS ")) {
                    continue;
                }
                long[] v = new long[3];
                for (String part : line.substring(6).split(" ")) {
                    String[] kv = part.split("=");
                    switch (kv[0]) {
                        case "t" -> v[0] = Long.parseLong(kv[1]);
                        case "published" -> v[1] = Long.parseLong(kv[1]);
                        case "elapsed" -> v[2] = Long.parseLong(kv[1]);
                        default -> {
                        }
                    }
                }
                if (v[0] <= from || before == null) {
                    before = v;
                }
                after = v;
                if (v[0] >= to) {
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        if (before == null || after == null || after[2] == before[2]) {
            return Double.NaN;
        }
        return (double) (after[1] - before[1]) / (after[2] - before[2]);
    }

    private JavaProcess sampledProcess() {
        return sampled;
    }

    private static boolean mentions(JavaProcess process, String text) {
        if (process == null) {
            return false;
        }
        for (Path file : List.of(process.stdout, process.stderr)) {
            try {
                if (Files.readString(file, StandardCharsets.UTF_8).contains(text)) {
                    return true;
                }
            } catch (IOException | RuntimeException e) {
                // unreadable: nothing to say
            }
        }
        return false;
    }

    private String sampledName(String phase) {
        return "busbar-" + phase;
    }

    private void sample() {
        JavaProcess p = sampled;
        if (p == null || !p.isAlive()) {
            return;
        }
        long now = System.currentTimeMillis();
        long rss = p.rssKb();
        // the heap from Busbar's own metrics every 5 s only: a scrape costs Busbar CPU
        double heap = Double.NaN;
        if (++samples % 5 == 0) {
            heap = BusbarSetup.metric(BusbarSetup.scrape(sampledHttpPort), "jvm_memory_used_bytes", "area=\"heap\"");
        }
        synchronized (rssSeries) {
            if (rss > 0) {
                rssSeries.add(new long[] {now, rss});
            }
            if (!Double.isNaN(heap)) {
                heapSeries.add(new long[] {now, (long) heap});
            }
        }
    }

    /** Max and average of a series over [from, to]. */
    private long[] stats(List<long[]> series, long from, long to) {
        synchronized (rssSeries) {
            long max = 0;
            long sum = 0;
            int n = 0;
            for (long[] point : series) {
                if (point[0] >= from && point[0] <= to) {
                    max = Math.max(max, point[1]);
                    sum += point[1];
                    n++;
                }
            }
            return new long[] {max, n == 0 ? 0 : sum / n};
        }
    }

    /**
     * {@code jcmd GC.class_histogram} (a full GC first, so only live objects count): writes the top of
     * it to {@code target} and returns the live heap in bytes, -1 if unavailable.
     */
    private long classHistogram(JavaProcess process, Path target) {
        try {
            Path raw = logs.resolve(process.name + "-histogram.raw");
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(process.pid()), "GC.class_histogram").redirectErrorStream(true)
                    .redirectOutput(raw.toFile()).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                // a JVM short of heap can take long for the full GC: not worth the run's time budget
                p.destroyForcibly();
                notes.add("class histogram of " + process.name + " took over 30 s; skipped");
                return -1;
            }
            List<String> lines = Files.readAllLines(raw, StandardCharsets.UTF_8);
            long total = -1;
            for (String line : lines) {
                if (line.startsWith("Total")) {
                    String[] f = line.trim().split("\\s+");
                    total = Long.parseLong(f[2]);
                }
            }
            List<String> top = new ArrayList<>(lines.subList(0, Math.min(45, lines.size())));
            top.add(lines.isEmpty() ? "" : lines.get(lines.size() - 1));
            Files.write(target, top);
            return total;
        } catch (IOException | RuntimeException e) {
            notes.add("class histogram failed: " + e);
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private void jcmd(JavaProcess process, String... command) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        cmd.add(Long.toString(process.pid()));
        cmd.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve("jcmd.log").toFile())).start();
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            notes.add("jcmd " + String.join(" ", command) + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void summarise(Path jfr, Path target) {
        if (!Files.exists(jfr)) {
            notes.add("no JFR recording at " + jfr);
            return;
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (PrintStream print = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
                JfrSummary.summarise(jfr, 25, print);
            }
            Files.write(target, bytes.toByteArray());
        } catch (IOException | RuntimeException e) {
            notes.add("could not summarise " + jfr + ": " + e);
        }
    }

    /** The time of the first line of a Spring Boot log containing {@code text} at or after {@code afterMs}. */
    private static long logTime(JavaProcess process, String text, long afterMs) {
        try {
            for (String line : Files.readAllLines(process.stdout, StandardCharsets.UTF_8)) {
                if (line.contains(text)) {
                    try {
                        long t = OffsetDateTime.parse(line.substring(0, line.indexOf(' '))).toInstant().toEpochMilli();
                        if (t >= afterMs) {
                            return t;
                        }
                    } catch (RuntimeException e) {
                        // not a time
                    }
                }
            }
        } catch (IOException e) {
            // no log
        }
        return -1;
    }

    private void teardown() {
        sampled = null;
        sampler.shutdownNow();
        if (consumer != null) {
            try {
                consumer.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (JavaProcess p : started) {
            try {
                p.stop(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (kafka != null) {
            try {
                kafka.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void killAll() {
        for (JavaProcess p : started) {
            if (p.isAlive()) {
                p.process.destroyForcibly();
            }
        }
        if (kafka != null && kafka.process() != null && kafka.process().isAlive()) {
            kafka.process().process.destroyForcibly();
        }
    }

    private void report() {
        for (JavaProcess p : started) {
            if (p.name.startsWith("busbar-") && mentions(p, "OutOfMemoryError")) {
                notes.add(p.name + " logged java.lang.OutOfMemoryError during the run (see " + p.stdout + ")");
                figures.put(p.name.replace("busbar-", "") + "_oom", "true");
            }
        }
        PrintStream o = System.out;
        o.println();
        o.printf("== Busbar bench (%s run), %s ==%n", quick ? "quick" : "full", Instant.ofEpochMilli(runStart));
        o.println("machine: " + Machine.describe());
        o.println("output:  " + out + " (logs, generated configs, JFR recordings and profile summaries)");
        o.println();
        int w0 = 10;
        int w1 = rows.stream().mapToInt(r -> r[1].length()).max().orElse(20);
        int w2 = Math.max(5, rows.stream().mapToInt(r -> r[2].length()).max().orElse(5));
        int w3 = Math.max(4, rows.stream().mapToInt(r -> r[3].length()).max().orElse(4));
        String format = "%-" + w0 + "s  %-" + w1 + "s  %" + w2 + "s  %-" + w3 + "s  %s%n";
        o.printf(format, "scenario", "figure", "value", "goal", "verdict");
        o.println("-".repeat(w0 + w1 + w2 + w3 + 20));
        for (String[] r : rows) {
            o.printf(format, r[0], r[1], r[2], r[3], r[4]);
        }
        for (String note : notes) {
            o.println("note: " + note);
        }
        o.println();
        figures.forEach((k, v) -> o.println(k + "=" + v));
        o.flush();
    }

    private void row(String scenario, String figure, String value, String goal, String verdict) {
        rows.add(new String[] {scenario, figure, value == null ? "-" : value, goal, verdict});
    }

    private static String verdictAtLeast(double value, double goal) {
        if (value >= goal) {
            return "met";
        }
        return String.format(Locale.ROOT, "MISSED by %s (%.0f%% of goal)", fmtD(goal - value), 100 * value / goal);
    }

    private static String verdictAtMost(double value, double goal) {
        if (value <= goal) {
            return "met";
        }
        return String.format(Locale.ROOT, "MISSED by %s (%.1f× goal)", fmtD(value - goal), value / goal);
    }

    private static String pct(double fraction) {
        return Double.isNaN(fraction) ? "?" : String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "? (no metrics)";
        }
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String fmtD(double v) {
        return Math.abs(v) >= 10 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private void progress(String message) {
        System.err.printf("[%5.0fs] %s%n", (System.currentTimeMillis() - runStart) / 1000.0, message);
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** CPU time of processes (and the machine, and this driver) between two instants. */
    private static final class Cpu {
        private final Map<String, Long> start = new LinkedHashMap<>();
        private final long startMs = System.currentTimeMillis();
        private final long[] machineStart = JavaProcess.machineTicks();
        private final long selfStart = JavaProcess.selfCpuMillis();
        private long[] machineEnd;

        static Cpu start(List<JavaProcess> processes) {
            Cpu cpu = new Cpu();
            for (JavaProcess p : processes) {
                cpu.start.put(p.name, p.cpuMillis());
            }
            return cpu;
        }

        Map<String, Double> cores(List<JavaProcess> processes) {
            double seconds = (System.currentTimeMillis() - startMs) / 1000.0;
            machineEnd = JavaProcess.machineTicks();
            Map<String, Double> result = new LinkedHashMap<>();
            for (JavaProcess p : processes) {
                long end = p.cpuMillis();
                Long begin = start.get(p.name);
                result.put(p.name, begin == null || begin < 0 || end < 0 ? 0.0 : (end - begin) / 1000.0 / seconds);
            }
            result.put("driver", (JavaProcess.selfCpuMillis() - selfStart) / 1000.0 / seconds);
            return result;
        }

        /** Machine CPU in cores minus what the measured processes and this driver used. */
        double foreignCores(Map<String, Double> cores) {
            double ours = cores.values().stream().mapToDouble(Double::doubleValue).sum();
            return Math.max(0, machineBusy() * Runtime.getRuntime().availableProcessors() - ours);
        }

        double machineBusy() {
            long busy = machineEnd[0] - machineStart[0];
            long total = machineEnd[1] - machineStart[1];
            return total == 0 ? 0 : (double) busy / total;
        }
    }
}
