package io.busbar.bench;

import static io.busbar.bench.Report.fmt;
import static io.busbar.bench.Report.pct;
import static io.busbar.bench.Report.verdictAtLeast;
import static io.busbar.bench.Report.verdictAtMost;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A measured window of a running Busbar: the throughput scenario (readings/s against the ceiling)
 * and the nominal one (latency and memory at 10,000 readings/s) differ only in what they report.
 */
final class SteadyStateScenario {

    /** A measured window of a running Busbar. */
    record Measured(ReadingTracker.Window window, long fromMs, long toMs, Map<String, Double> cores,
                    double machineBusy, double foreignCores, double serverKeptUp, long rssMaxKb, long rssAvgKb, long heapMaxBytes, long heapAvgBytes,
                    double forwardedPerS, double deliveredPerS, ReadingTracker.Completeness completeness,
                    Path jfr, long liveHeapBytes, Map<ThreadCpu.Kind, Double> busbarThreads) {
    }

    private final Bench bench;
    private final BenchSettings settings;
    private final Report report;

    SteadyStateScenario(Bench bench) {
        this.bench = bench;
        this.settings = bench.settings;
        this.report = bench.report;
    }

    Measured measure(String name, RunningBusbar busbar, LoadServers servers, int seconds, long intervalMs) throws Exception {
        ReadingTracker tracker = bench.tracker;
        Thread.sleep(settings.warmupS * 1000L);
        // Busbar starts with a backlog (subscriptions deliver before everything is warm): give it a
        // bounded time to catch up, so the window shows the steady state if there is one
        long caughtUpLatency = 2 * intervalMs + 1_000;
        long waitUntil = System.currentTimeMillis() + (settings.quick ? 8_000 : 15_000);
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
        report.figure(name + "_caught_up_before_window", Boolean.toString(caughtUp));
        if (!caughtUp) {
            report.note(name + ": Busbar had not caught up with its start-up backlog (median latency ≤ "
                    + caughtUpLatency + " ms) before the window; it delivers at its limit during the window");
        }
        List<JavaProcess> processes = List.of(busbar.process(), servers.primary(), servers.secondary(), bench.kafka.process());
        Path jfr = settings.out.resolve(name + "-busbar.jfr");
        Path serverJfr = settings.out.resolve(name + "-server-primary.jfr");
        ProcessProbes probes = bench.probes;
        // the server's recording only where its throughput is the question: at 1 Hz it slowed the
        // server's update of a slot's 10,000 values past its publish (a phase of 80 ms), and the
        // values left over went out a second later: the window's p99 (2026-12-06 00:07)
        boolean recordServer = settings.profile && intervalMs < 1_000;
        if (settings.profile) {
            probes.startRecordings(recordServer ? Map.of(busbar.process(), jfr, servers.primary(), serverJfr)
                    : Map.of(busbar.process(), jfr));
        }
        String before = BusbarSetup.scrape(busbar.httpPort());
        Cpu cpu = Cpu.start(processes);
        ThreadCpu busbarThreads = ThreadCpu.start(busbar.process());
        long from = System.currentTimeMillis();
        report.progress(String.format("%s: measuring %d s", name, seconds));
        Thread.sleep(seconds * 1000L);
        long to = System.currentTimeMillis();
        Map<String, Double> cores = cpu.cores(processes);
        Map<ThreadCpu.Kind, Double> byKind = busbarThreads.cores();
        double machineBusy = cpu.machineBusy();
        String after = BusbarSetup.scrape(busbar.httpPort());
        if (settings.profile) {
            probes.jcmd(busbar.process(), "JFR.stop", "name=bench");
        }
        if (recordServer) {
            probes.jcmd(servers.primary(), "JFR.stop", "name=bench");
        }
        long liveHeap = probes.classHistogram(busbar.process(), settings.out.resolve(name + "-busbar-histogram.txt"));
        double window = (to - from) / 1000.0;
        double forwarded = (BusbarSetup.metric(after, "busbar_source_forwarded_total", "")
                - BusbarSetup.metric(before, "busbar_source_forwarded_total", "")) / window;
        double delivered = (BusbarSetup.metric(after, "busbar_target_delivered_total", "")
                - BusbarSetup.metric(before, "busbar_target_delivered_total", "")) / window;
        long[] rss = bench.sampler.rss(from, to);
        long[] heap = bench.sampler.heap(from, to);
        // let readings of the window's last source times arrive before counting what is missing
        Thread.sleep(Math.min(10_000, 3_000 + 2 * intervalMs));
        ReadingTracker.Window w = tracker.window(from, to);
        ReadingTracker.Completeness c = tracker.completeness(from, to - 2 * intervalMs, intervalMs, servers.tags());
        if (settings.profile) {
            probes.summarise(jfr, settings.out.resolve(name + "-busbar-profile.txt"));
        }
        if (recordServer) {
            probes.summarise(serverJfr, settings.out.resolve(name + "-server-primary-profile.txt"));
        }
        report.progress(String.format("%s: %,.0f readings/s at Kafka, p50 %d ms, p99 %d ms; busbar %.2f cores, RSS max %d MB",
                name, w.perSecond(), w.latency.percentile(0.5), w.latency.percentile(0.99),
                cores.get(busbar.process().name), rss[0] / 1024));
        return new Measured(w, from, to, cores, machineBusy, cpu.foreignCores(cores),
                ProcessProbes.serverKeptUp(servers.primary(), from, to), rss[0], rss[1], heap[0], heap[1], forwarded,
                delivered, c, settings.profile ? jfr : null, liveHeap, byKind);
    }

    void recordThroughput(Measured m, long intervalMs) {
        double offered = settings.tags * 1000.0 / intervalMs;
        double throughput = m.window().perSecond();
        double ceiling = Double.parseDouble(report.figures.getOrDefault("ceiling_readings_per_s", "0"));
        double ratio = ceiling == 0 ? 0 : throughput / ceiling;
        report.figure("throughput_readings_per_s", String.format(Locale.ROOT, "%.0f", throughput));
        report.figure("ratio", String.format(Locale.ROOT, "%.2f", ratio));
        report.figure("latency_p50_ms", Long.toString(m.window().latency.percentile(0.50)));
        report.figure("latency_p99_ms", Long.toString(m.window().latency.percentile(0.99)));
        report.figure("latency_max_ms", Long.toString(m.window().latency.max()));
        report.figure("rss_mb", Long.toString(m.rssMaxKb() / 1024));
        report.figure("heap_used_max_mb", Long.toString(m.heapMaxBytes() / (1024 * 1024)));
        report.figure("heap_live_mb", Long.toString(m.liveHeapBytes() / (1024 * 1024)));
        report.figure("busbar_xmx", settings.busbarHeap);
        report.figure("busbar_cpu_cores", String.format(Locale.ROOT, "%.2f", m.cores().get("busbar-throughput")));
        report.figure("busbar_ingest_readings_per_s", String.format(Locale.ROOT, "%.0f", m.forwardedPerS()));
        report.figure("throughput_missing", Long.toString(m.completeness().missing));
        // what the buffer gained per second over the window: > 0 is a growing backlog
        report.figure("throughput_backlog_growth_per_s", String.format(Locale.ROOT, "%.0f", m.forwardedPerS() - m.deliveredPerS()));
        String load = String.format("%,d tags × %d Hz = %,.0f/s", settings.tags, settings.hz, offered);
        report.row("throughput", "readings/s acknowledged by Kafka (" + load + ", " + m.window().seconds + " s)",
                fmt(throughput), "≥ 50,000", verdictAtLeast(throughput, 50_000));
        report.row("", "  ratio to the ceiling", String.format(Locale.ROOT, "%.2f", ratio), "≥ 0.5", verdictAtLeast(ratio, 0.5));
        report.row("", "  latency source→Kafka p50 / p99 / max ms", m.window().latency.percentile(0.5) + " / "
                + m.window().latency.percentile(0.99) + " / " + m.window().latency.max(), "", "");
        report.row("", "  Busbar readings/s made durable (ingest) / delivered",
                fmt(m.forwardedPerS()) + " / " + fmt(m.deliveredPerS()), "", m.forwardedPerS() > m.deliveredPerS() * 1.02
                        ? "backlog grows" : "");
        report.row("", "  of the window's readings, not (yet) at Kafka 3 s after it (of " + fmt(m.completeness().expected) + ")",
                fmt(m.completeness().missing) + String.format(Locale.ROOT, " (%.1f%%)",
                        100.0 * m.completeness().missing / Math.max(1, m.completeness().expected)), "", "");
        cpuRows(m);
    }

    void recordNominal(Measured m, long intervalMs) {
        int nominalTags = settings.nominalTags;
        long p99 = m.window().latency.percentile(0.99);
        long goal = intervalMs + 250;
        report.figure("nominal_readings_per_s", String.format(Locale.ROOT, "%.0f", m.window().perSecond()));
        report.figure("nominal_latency_p50_ms", Long.toString(m.window().latency.percentile(0.5)));
        report.figure("nominal_latency_p99_ms", Long.toString(p99));
        report.figure("nominal_latency_max_ms", Long.toString(m.window().latency.max()));
        report.figure("nominal_rss_mb", Long.toString(m.rssMaxKb() / 1024));
        report.figure("nominal_heap_used_max_mb", Long.toString(m.heapMaxBytes() / (1024 * 1024)));
        report.figure("nominal_heap_live_mb", Long.toString(m.liveHeapBytes() / (1024 * 1024)));
        report.figure("nominal_busbar_cpu_cores", String.format(Locale.ROOT, "%.2f", m.cores().get("busbar-nominal")));
        report.figure("nominal_missing", Long.toString(m.completeness().missing));
        String load = String.format("%,d tags × %d Hz, publishing %d ms", nominalTags, settings.nominalHz, intervalMs);
        report.row("nominal", "readings/s at Kafka (" + load + ", " + m.window().seconds + " s)", fmt(m.window().perSecond()),
                fmt(nominalTags * 1000.0 / intervalMs), verdictAtLeast(m.window().perSecond(), 0.98 * nominalTags * 1000.0 / intervalMs));
        report.row("", "  latency source→Kafka p99 ms (p50 / max)", m.window().count == 0 ? "none arrived"
                : p99 + " (" + m.window().latency.percentile(0.5) + " / " + m.window().latency.max() + ")", "≤ " + goal,
                m.window().count == 0 ? "MISSED (no readings)" : verdictAtMost(p99, goal));
        boolean oom = ProcessProbes.mentions(bench.sampler.sampled(), "OutOfMemoryError");
        report.row("", "  Busbar in -Xmx" + settings.busbarHeap + ": heap used max / avg MB (OOM: see the notes too)",
                m.heapMaxBytes() == 0 ? "? (no metrics)"
                : m.heapMaxBytes() / (1024 * 1024) + " / " + m.heapAvgBytes() / (1024 * 1024), "no OOM",
                oom ? "MISSED (OutOfMemoryError)" : "met");
        report.row("", "  of the window's readings, not (yet) at Kafka 3 s after it (of " + fmt(m.completeness().expected) + ")",
                fmt(m.completeness().missing), "0", m.completeness().missing == 0 ? "met" : "MISSED");
        cpuRows(m);
    }

    /** A row and a key of {@code cores} per reading delivered in the window, µs ("-" / NaN without readings). */
    private void perReading(Measured m, double cores, String row, String key) {
        double us = m.window().count == 0 ? Double.NaN : cores * 1e6 / m.window().perSecond();
        report.row("", row, Double.isNaN(us) ? "-" : fmt(us), "", "");
        report.figure(key, Double.isNaN(us) ? "NaN" : String.format(Locale.ROOT, "%.0f", us));
    }

    private void cpuRows(Measured m) {
        double busbarCores = m.cores().entrySet().stream().filter(e -> e.getKey().startsWith("busbar"))
                .mapToDouble(Map.Entry::getValue).sum();
        String scenario = bench.sampler.sampled().name.replace("busbar-", "");
        perReading(m, busbarCores, "  Busbar CPU per reading delivered, µs", scenario + "_busbar_cpu_us_per_reading");
        Map<ThreadCpu.Kind, Double> threads = m.busbarThreads();
        double jit = threads.get(ThreadCpu.Kind.JIT);
        double gc = threads.get(ThreadCpu.Kind.GC);
        report.row("", String.format(Locale.ROOT, "  Busbar CPU cores by thread: JIT compilers %.2f, collector + VM thread %.2f,"
                + " the rest %.2f", jit, gc, threads.get(ThreadCpu.Kind.REST)), "", "", "");
        perReading(m, busbarCores - jit, "  Busbar CPU per reading delivered without the JIT compilers (warm-up), µs",
                scenario + "_busbar_cpu_us_per_reading_without_jit");
        report.figure(scenario + "_busbar_jit_cores", String.format(Locale.ROOT, "%.2f", jit));
        report.figure(scenario + "_busbar_gc_cores", String.format(Locale.ROOT, "%.2f", gc));
        StringBuilder s = new StringBuilder();
        m.cores().entrySet().stream().filter(e -> !e.getKey().equals("driver")).forEach(e -> s.append(String.format(Locale.ROOT, "%s %.2f, ",
                e.getKey().replaceAll("^server-[ab]-", "").replaceAll("^busbar-.*", "busbar").replaceAll("^kafka.*", "kafka"),
                e.getValue())));
        s.append(String.format(Locale.ROOT, "driver+consumer %.2f", m.cores().getOrDefault("driver", 0.0)));
        report.row("", "  CPU cores (of " + Runtime.getRuntime().availableProcessors() + "): " + s,
                String.format(Locale.ROOT, "machine %.0f%% busy", 100 * m.machineBusy()), "", "");
        report.row("", "  CPU cores used by other processes on this machine", String.format(Locale.ROOT, "%.2f",
                m.foreignCores()), "", "");
        report.row("", "  server updates published / slots begun (primary)", pct(m.serverKeptUp()), "", "");
        report.row("", "  Busbar RSS max / avg MB", m.rssMaxKb() / 1024 + " / " + m.rssAvgKb() / 1024, "", "");
        report.row("", "  Busbar heap used max / live after full GC MB (-Xmx" + settings.busbarHeap + ")",
                m.heapMaxBytes() / (1024 * 1024) + " / " + (m.liveHeapBytes() < 0 ? "?" : m.liveHeapBytes() / (1024 * 1024)), "", "");
    }
}
