package io.busbar.bench;

import static io.busbar.bench.Report.fmt;

import io.busbar.support.FreePorts;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Scale (issue 12): one Busbar in {@code -Xmx512m} against a ladder of tag counts at 1 Hz (1,000,
 * 10,000 and 100,000 in the full run; {@code --scale-interval-ms} for another rate, e.g. 100,000 tags
 * at a rate two cores can serve with the load servers beside Busbar), each on fresh load servers and
 * a fresh Busbar, measured for a short window once it has caught up with its start-up backlog. A load above
 * {@code scale-tags-per-pair} tags is split over several source pairs (several load-server pairs),
 * as a site would split one big SCADA server's subscription; what is measured is the instance.
 *
 * <p>Per point: readings/s at Kafka and made durable, Busbar CPU µs per reading delivered (the
 * figure that shows how the cost per reading grows with the tag count), heap used max and live
 * after a full GC, RSS, OutOfMemoryError, and whether it kept up. Keys
 * {@code scale_<tags>_readings_per_s}, {@code _cpu_us_per_reading}, {@code _heap_live_mb},
 * {@code _kept_up}, {@code _oom} and a few more.
 */
final class ScaleScenario {

    private final long intervalMs;
    /** A Busbar that delivers within this latency (median) is not working off a backlog. */
    private final long caughtUpLatencyMs;

    private record Point(int tags, double perReadingUs, boolean keptUp) {
    }

    private final Bench bench;

    ScaleScenario(Bench bench) {
        this.bench = bench;
        this.intervalMs = bench.settings.scaleIntervalMs;
        this.caughtUpLatencyMs = 2 * intervalMs + 1_000;
    }

    /** The load's rate as a label: "1 Hz", "0.2 Hz". */
    private String rate() {
        return new BigDecimal(1000.0 / intervalMs).round(new MathContext(3)).stripTrailingZeros().toPlainString() + " Hz";
    }

    void run() throws Exception {
        List<Point> points = new ArrayList<>();
        // the quick run starts its servers once, sized for its largest point, to stay within its time:
        // a smaller point maps only the first tags (the servers publish the rest to nobody)
        int largest = bench.settings.scaleTags.stream().mapToInt(Integer::intValue).max().orElse(0);
        List<LoadServers> shared = bench.settings.quick
                ? bench.launcher.startServerPairs("scale", pairs(largest), largest / pairs(largest) / 2 * 2, intervalMs)
                : null;
        try {
            for (int tags : bench.settings.scaleTags) {
                points.add(measurePoint(tags, shared));
            }
        } finally {
            if (shared != null) {
                for (LoadServers pair : shared) {
                    ProcessLauncher.stopServers(pair);
                }
            }
        }
        if (points.size() > 1) {
            bench.report.row("", "  Busbar CPU µs per reading by tag count (" + points.stream()
                    .map(p -> fmt(p.tags())).collect(Collectors.joining(" → ")) + ")", points.stream()
                    .map(p -> Double.isNaN(p.perReadingUs()) ? "-" : fmt(p.perReadingUs()))
                    .collect(Collectors.joining(" → ")), "", "");
        }
    }

    private int pairs(int tags) {
        return Math.max(1, (tags + bench.settings.scaleTagsPerPair - 1) / bench.settings.scaleTagsPerPair);
    }

    /** Measures one tag count on its own servers, or on the first tags of {@code shared} when not null. */
    private Point measurePoint(int requestedTags, List<LoadServers> shared) throws Exception {
        int pairs = pairs(requestedTags);
        // each server has two tags per meter: round a pair's share down to an even count
        int tagsPerPair = requestedTags / pairs / 2 * 2;
        int tags = tagsPerPair * pairs;
        String key = "scale_" + tags + "_";
        String name = "busbar-scale_" + tags;
        bench.report.figure(key + "pairs", Integer.toString(pairs));
        List<LoadServers> servers = shared == null
                ? bench.launcher.startServerPairs("scale" + tags, pairs, tagsPerPair, intervalMs)
                : shared.subList(0, pairs).stream().map(s -> new LoadServers(s.primary(), s.secondary(),
                        s.primaryEndpoint(), s.secondaryEndpoint(), tagsPerPair, intervalMs)).toList();
        JavaProcess busbar = null;
        try {
            RunningBusbar running = startBusbar(name, servers);
            busbar = running.process();
            return measure(running, servers, tags, key);
        } catch (IllegalStateException e) {
            // a point that never delivers (start-up timeout, a crash) is a result, not the end of the ladder
            boolean oom = busbar != null && ProcessProbes.mentions(busbar, "OutOfMemoryError")
                    || ProcessProbes.mentions(lastStarted(name), "OutOfMemoryError");
            String reason = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            bench.report.note("scale " + tags + " tags: " + reason);
            bench.report.progress("scale " + tags + " tags: no figures: " + reason);
            bench.report.row("scale", String.format("%,d tags × %s (%d pair(s), -Xmx%s)", tags, rate(), pairs, bench.settings.scaleHeap),
                    "no readings", fmt(tags), "MISSED");
            bench.report.figure(key + "readings_per_s", "0");
            bench.report.figure(key + "kept_up", "false");
            bench.report.figure(key + "oom", Boolean.toString(oom));
            return new Point(tags, Double.NaN, false);
        } finally {
            JavaProcess started = busbar != null ? busbar : lastStarted(name);
            if (started != null) {
                started.stop(Duration.ofSeconds(10));
            }
            if (shared == null) {
                for (LoadServers pair : servers) {
                    ProcessLauncher.stopServers(pair);
                }
            }
        }
    }

    private Point measure(RunningBusbar busbar, List<LoadServers> servers, int tags, String key) throws Exception {
        ReadingTracker tracker = bench.tracker;
        Thread.sleep(bench.settings.warmupS * 1000L);
        boolean caughtUp = awaitCaughtUp(bench.settings.quick ? 10_000 : 30_000);
        bench.report.figure(key + "caught_up_before_window", Boolean.toString(caughtUp));

        List<JavaProcess> processes = new ArrayList<>();
        processes.add(busbar.process());
        for (LoadServers pair : servers) {
            processes.add(pair.primary());
            processes.add(pair.secondary());
        }
        processes.add(bench.kafka.process());
        // JFR of the largest point only: the profile that shows what limits the scale
        boolean profile = bench.settings.profile && tags == bench.settings.scaleTags.stream().mapToInt(Integer::intValue).max().orElse(0);
        Path jfr = bench.settings.out.resolve("scale-" + tags + "-busbar.jfr");
        if (profile) {
            bench.probes.startRecordings(Map.of(busbar.process(), jfr));
        }
        String loadAverage = loadAverage();
        String before = BusbarSetup.scrape(busbar.httpPort());
        Cpu cpu = Cpu.start(processes);
        long from = System.currentTimeMillis();
        bench.report.progress(String.format("scale %,d tags: measuring %d s (load average %s)", tags, bench.settings.scaleMeasureS,
                loadAverage));
        Thread.sleep(bench.settings.scaleMeasureS * 1000L);
        long to = System.currentTimeMillis();
        Map<String, Double> cores = cpu.cores(processes);
        double foreign = cpu.foreignCores(cores);
        String after = BusbarSetup.scrape(busbar.httpPort());
        if (profile) {
            bench.probes.jcmd(busbar.process(), "JFR.stop", "name=bench");
        }
        long[] heap = bench.sampler.heap(from, to);
        long[] rss = bench.sampler.rss(from, to);
        long liveHeap = bench.probes.classHistogram(busbar.process(), bench.settings.out.resolve("scale-" + tags + "-busbar-histogram.txt"));
        if (profile) {
            bench.probes.summarise(jfr, bench.settings.out.resolve("scale-" + tags + "-busbar-profile.txt"));
        }

        double seconds = (to - from) / 1000.0;
        double ingest = (BusbarSetup.metric(after, "busbar_source_forwarded_total", "")
                - BusbarSetup.metric(before, "busbar_source_forwarded_total", "")) / seconds;
        ReadingTracker.Window w = tracker.window(from, to);
        ReadingTracker.Window tail = tracker.window(to - 5_000, to);
        double offered = tags * 1000.0 / intervalMs;
        double busbarCores = cores.get(busbar.process().name);
        double perReading = w.count == 0 ? Double.NaN : busbarCores * 1e6 / w.perSecond();
        boolean oom = ProcessProbes.mentions(busbar.process(), "OutOfMemoryError");
        // kept up: delivered what was offered, and the end of the window is not a backlog being worked off
        boolean keptUp = !oom && w.perSecond() >= 0.95 * offered && tail.count > 0
                && tail.latency.percentile(0.5) <= caughtUpLatencyMs;
        double serverCores = cores.entrySet().stream().filter(e -> e.getKey().startsWith("server-"))
                .mapToDouble(Map.Entry::getValue).sum();

        bench.report.figure(key + "readings_per_s", String.format(Locale.ROOT, "%.0f", w.perSecond()));
        bench.report.figure(key + "ingest_readings_per_s", Double.isNaN(ingest) ? "NaN" : String.format(Locale.ROOT, "%.0f", ingest));
        bench.report.figure(key + "cpu_us_per_reading", Double.isNaN(perReading) ? "NaN" : String.format(Locale.ROOT, "%.0f", perReading));
        bench.report.figure(key + "busbar_cpu_cores", String.format(Locale.ROOT, "%.2f", busbarCores));
        bench.report.figure(key + "latency_p50_ms", Long.toString(w.latency.percentile(0.5)));
        bench.report.figure(key + "latency_p99_ms", Long.toString(w.latency.percentile(0.99)));
        bench.report.figure(key + "heap_used_max_mb", Long.toString(heap[0] / (1024 * 1024)));
        bench.report.figure(key + "heap_live_mb", liveHeap < 0 ? "-1" : Long.toString(liveHeap / (1024 * 1024)));
        bench.report.figure(key + "rss_mb", Long.toString(rss[0] / 1024));
        bench.report.figure(key + "kept_up", Boolean.toString(keptUp));
        bench.report.figure(key + "oom", Boolean.toString(oom));
        bench.report.figure(key + "other_cores", String.format(Locale.ROOT, "%.2f", foreign));
        bench.report.figure(key + "loadavg", loadAverage);

        String load = String.format("%,d tags × %s, %d pair(s), -Xmx%s, %d s", tags, rate(), servers.size(), bench.settings.scaleHeap, w.seconds);
        bench.report.row("scale", "readings/s at Kafka (" + load + ")", fmt(w.perSecond()), "= " + fmt(offered),
                keptUp ? "kept up" : "fell behind" + (caughtUp ? "" : " (start-up backlog not worked off)"));
        bench.report.row("", "  Busbar readings/s made durable (ingest) / at Kafka", fmt(ingest) + " / " + fmt(w.perSecond()), "", "");
        bench.report.row("", "  latency source→Kafka p50 / p99 ms (p50 of the window's last 5 s)", w.latency.percentile(0.5) + " / "
                + w.latency.percentile(0.99) + " (" + tail.latency.percentile(0.5) + ")", "", "");
        bench.report.row("", "  Busbar CPU µs per reading at Kafka (cores)", Double.isNaN(perReading) ? "-"
                : fmt(perReading) + String.format(Locale.ROOT, " (%.2f)", busbarCores), "", "");
        bench.report.row("", "  Busbar heap used max / live after full GC MB, RSS max MB", heap[0] / (1024 * 1024) + " / "
                + (liveHeap < 0 ? "?" : liveHeap / (1024 * 1024)) + ", " + rss[0] / 1024, "no OOM",
                oom ? "MISSED (OutOfMemoryError)" : heapFull(heap[0]) ? "no OOM logged, but the heap is full" : "met");
        bench.report.row("", String.format(Locale.ROOT, "  CPU cores: servers %.2f, kafka %.2f, driver+consumer %.2f; other processes",
                serverCores, cores.getOrDefault(bench.kafka.process().name, 0.0), cores.getOrDefault("driver", 0.0)),
                String.format(Locale.ROOT, "%.2f (load average %s)", foreign, loadAverage), "", "");
        bench.report.progress(String.format("scale %,d tags: %,.0f readings/s at Kafka (%,.0f made durable), %s µs per reading,"
                + " heap max %d MB live %s MB, %s", tags, w.perSecond(), ingest,
                Double.isNaN(perReading) ? "-" : String.format(Locale.ROOT, "%.0f", perReading), heap[0] / (1024 * 1024),
                liveHeap < 0 ? "?" : Long.toString(liveHeap / (1024 * 1024)), keptUp ? "kept up" : "fell behind"));
        return new Point(tags, perReading, keptUp);
    }

    /** Heap used within 10 % of {@code -Xmx}: the collector is what the process does, OutOfMemoryError or not. */
    private boolean heapFull(long heapUsedMaxBytes) {
        String heap = bench.settings.scaleHeap.toLowerCase(Locale.ROOT);
        long unit = heap.endsWith("g") ? 1L << 30 : heap.endsWith("m") ? 1L << 20 : heap.endsWith("k") ? 1L << 10 : 1;
        long xmx = Long.parseLong(heap.replaceAll("[^0-9]", "")) * unit;
        return heapUsedMaxBytes >= 0.9 * xmx;
    }

    /** Waits up to {@code maxMs} for the median latency of the last 2 s to fall to a caught-up level. */
    private boolean awaitCaughtUp(long maxMs) throws InterruptedException {
        long until = System.currentTimeMillis() + maxMs;
        while (System.currentTimeMillis() < until) {
            long now = System.currentTimeMillis();
            ReadingTracker.Window recent = bench.tracker.window(now - 2_000, now);
            if (recent.count > 0 && recent.latency.percentile(0.5) <= caughtUpLatencyMs) {
                return true;
            }
            Thread.sleep(500);
        }
        return false;
    }

    /** Starts Busbar on every pair of {@code servers} and returns once its first reading is at Kafka. */
    private RunningBusbar startBusbar(String name, List<LoadServers> servers) throws Exception {
        Path dir = bench.settings.out.resolve(name);
        Path config = BusbarSetup.writeConfig(dir, servers.stream().map(s -> new BusbarSetup.PairEndpoints(
                s.primaryEndpoint(), s.secondaryEndpoint(), s.tags())).toList(), intervalMs, intervalMs / 2,
                bench.kafka.bootstrap());
        int httpPort = FreePorts.free();
        long before = bench.tracker.total();
        JavaProcess process = bench.launcher.track(BusbarSetup.start(name, bench.settings.busbarJar, bench.settings.scaleHeap, bench.settings.busbarJvm, config,
                httpPort, bench.settings.logs, heapDumpOnOom(name)));
        bench.sampler.follow(process, httpPort);
        long deadline = System.currentTimeMillis() + bench.settings.scaleStartTimeoutS * 1000L;
        while (bench.tracker.total() == before) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.process.exitValue() + "; see "
                        + process.stdout + "\n" + JavaProcess.tail(process.stdout, 20));
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(name + " delivered nothing within " + bench.settings.scaleStartTimeoutS
                        + " s of its start; see " + process.stdout);
            }
            Thread.sleep(100);
        }
        long first = System.currentTimeMillis();
        bench.report.progress(String.format("%s: first reading at Kafka %.1f s after start", name, (first - process.startedMs) / 1000.0));
        bench.report.figure(name.replace("busbar-", "") + "_first_reading_s",
                String.format(Locale.ROOT, "%.1f", (first - process.startedMs) / 1000.0));
        return new RunningBusbar(process, httpPort, dir, first);
    }

    /**
     * A point that runs out of its heap leaves a dump in the run's directory: the class histogram of
     * the dump names what held the heap (the 100,000-tag point did, 2026-12-04), which a histogram
     * taken after the fact cannot.
     */
    private List<String> heapDumpOnOom(String name) {
        return List.of("-XX:+HeapDumpOnOutOfMemoryError",
                "-XX:HeapDumpPath=" + bench.settings.out.resolve(name + "-oom.hprof"));
    }

    private JavaProcess lastStarted(String name) {
        JavaProcess last = null;
        for (JavaProcess p : bench.launcher.started()) {
            if (p.name.equals(name)) {
                last = p;
            }
        }
        return last;
    }

    /** The 1, 5 and 15 minute load averages, the machine's share of other work next to the CPU figures. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + "/" + f[1] + "/" + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
