package io.busbar.bootstrap.federation;

import static org.awaitility.Awaitility.await;

import io.busbar.bootstrap.config.ConfigFile;
import io.busbar.bootstrap.support.FreePorts;
import io.busbar.bootstrap.support.InProcessBusbar;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Scale figure, not part of the suite (no *Test/*IT name): {@code -Dsites=N} sites ×
 * {@code -Dmeters} meters × {@code -Dquantities} quantities at 1 s into one central Busbar in this
 * JVM (TLS, mutual authentication, the file target), the sites in a JVM of their own
 * ({@link SiteFleet}: core clients sending what a site's bridge sends; 50 site JVMs do not fit on 2
 * cores beside the central). The fleet sends at the full rate for {@code -Dwarmup} seconds (both
 * JVMs start cold; a central runs for months), then for the measured window of {@code -Dseconds}.
 * {@code -Djfr=FILE} records the central's window with JFR's profile settings.
 *
 * <p>Prints, every 10 s of the run, what the central delivered, its backlog and who used the cores
 * (the central, the fleet from its {@code /proc/<pid>/stat}, everything else), the central's CPU by
 * thread over the window, then one result line with the verdict {@code kept_up}: true when, over
 * the window, the fleet sent 99 % of its lane-seconds within that second (else the load was not
 * offered), at least {@value #KEPT_UP_SHARE} of the readings the file target confirmed in the
 * window were confirmed within {@link #KEPT_UP_LATENCY} of their source second (the target's own
 * latency timer: the site's send, the link, the central's journal and delivery), and the central's
 * backlog (received, not yet delivered) stayed under {@value #KEPT_UP_BACKLOG_SECONDS} s of offered
 * readings through the window's last third (not growing).
 *
 * <pre>mvn -B -o -pl bootstrap -am test -Dtest=SiteScaleBench -Dsurefire.failIfNoSpecifiedTests=false -Dsites=50</pre>
 */
class SiteScaleBench {

    /** The fleet JVM starting, making 50 TLS connections and its bodies on a loaded machine. */
    private static final Duration FLEET_START = Duration.ofMinutes(3);
    /** A bucket of the target's latency timer ({@code DeliveryProcessor}). */
    static final Duration KEPT_UP_LATENCY = Duration.ofMillis(2500);
    static final double KEPT_UP_SHARE = 0.99;
    static final int KEPT_UP_BACKLOG_SECONDS = 2;
    /** USER_HZ, the unit of /proc's CPU times on Linux. */
    private static final double TICKS_PER_SECOND = 100;

    @RegisterExtension
    final InProcessBusbar central = new InProcessBusbar();

    @TempDir
    Path dir;

    /**
     * What the bench saw at one moment: CPU in seconds, readings as counted at the central, and the
     * target's latency timer (readings delivered, of them within 1 s and within {@link #KEPT_UP_LATENCY}).
     */
    private record Sample(long epochMillis, double centralCpu, double fleetCpu, double machineBusy, long received,
                          double delivered, double latencyCount, double within1s, double withinBound) {

        long backlog() {
            return received - (long) delivered;
        }
    }

    @Test
    void sitesInto1Central() throws Exception {
        int sites = Integer.getInteger("sites", 50);
        int meters = Integer.getInteger("meters", 200);
        int quantities = Integer.getInteger("quantities", 1);
        int warmup = Integer.getInteger("warmup", 30);
        int seconds = Integer.getInteger("seconds", 60);
        long offered = (long) sites * meters * quantities;
        int port = FreePorts.next();
        ConfigurableApplicationContext context = central.start(ConfigFile.load(config(port, sites)));
        MeterRegistry metrics = context.getBean(MeterRegistry.class);
        SiteTraffic traffic = context.getBean(FederationBroker.class).traffic();
        Path fleetLog = dir.resolve("fleet.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), SiteFleet.class.getName(), String.valueOf(port),
                String.valueOf(sites), String.valueOf(meters), String.valueOf(quantities), String.valueOf(warmup),
                String.valueOf(seconds)));
        Process fleet = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(fleetLog.toFile()).start();
        List<Sample> samples = new CopyOnWriteArrayList<>();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        try {
            long[] times = await().atMost(FLEET_START).pollInterval(Duration.ofMillis(100))
                    .until(() -> firstSecond(fleetLog), found -> found.length > 0);
            long first = times[0];
            long windowStart = times[1] * 1000;
            long windowEnd = windowStart + seconds * 1000L;
            untilMillis(first * 1000);
            sampler.scheduleAtFixedRate(() -> samples.add(sample(fleet.pid(), traffic, metrics)), 0, 1000, TimeUnit.MILLISECONDS);
            untilMillis(windowStart - 3000);
            Recording jfr = startJfr();
            untilMillis(windowStart);
            String loadBefore = loadAverage();
            Map<String, Long> threadsStart = threadCpu();
            untilMillis(windowEnd);
            Map<String, Long> threadsEnd = threadCpu();
            stopJfr(jfr);
            String loadAfter = loadAverage();
            if (!fleet.waitFor(600L, TimeUnit.SECONDS) || fleet.exitValue() != 0) {
                throw new IllegalStateException("the fleet failed: " + Files.readString(fleetLog));
            }
            String fleetOutput = Files.readString(fleetLog);
            Matcher fleetResult = Pattern.compile("fleet readings=(\\d+) window-readings=(\\d+) bytes=(\\d+)"
                    + " late-max-ms=(\\d+) late-p99-ms=(\\d+) cpu-ms=(\\d+)").matcher(fleetOutput);
            if (!fleetResult.find()) {
                throw new IllegalStateException("the fleet printed no result: " + fleetOutput);
            }
            long total = Long.parseLong(fleetResult.group(1));
            long windowReadings = Long.parseLong(fleetResult.group(2));
            long bytes = Long.parseLong(fleetResult.group(3));
            long lateMax = Long.parseLong(fleetResult.group(4));
            long lateP99 = Long.parseLong(fleetResult.group(5));
            double fleetCpuOwn = Long.parseLong(fleetResult.group(6)) / 1000.0;
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> delivered(metrics) >= total);
            long allDelivered = System.currentTimeMillis();
            sampler.shutdownNow();
            fleetOutput.lines().filter(line -> line.startsWith("fleet late")).forEach(line -> System.out.println("site-scale: " + line));
            Sample start = samples.stream().filter(s -> s.epochMillis() >= windowStart).findFirst().orElseThrow();
            Sample end = samples.stream().filter(s -> s.epochMillis() <= windowEnd + 500).reduce((x, y) -> y).orElseThrow();
            printTable(samples, windowStart, windowEnd, offered);
            printThreads(threadsStart, threadsEnd, seconds);
            double span = (end.epochMillis() - start.epochMillis()) / 1000.0;
            double delivered = end.delivered() - start.delivered();
            double centralCpu = end.centralCpu() - start.centralCpu();
            double fleetCpu = end.fleetCpu() - start.fleetCpu();
            double latencyCount = end.latencyCount() - start.latencyCount();
            double within1s = (end.within1s() - start.within1s()) / latencyCount;
            double withinBound = (end.withinBound() - start.withinBound()) / latencyCount;
            long lastThird = windowStart + (windowEnd - windowStart) * 2 / 3;
            long maxBacklog = samples.stream().filter(s -> s.epochMillis() >= lastThird && s.epochMillis() <= windowEnd + 500)
                    .mapToLong(Sample::backlog).max().orElse(0);
            List<String> missed = new ArrayList<>();
            if (lateP99 > 1000) {
                missed.add("fleet late, p99 " + lateP99 + " ms");
            }
            if (withinBound < KEPT_UP_SHARE) {
                missed.add(String.format("latency, %.1f %% within %.1f s", 100 * withinBound, KEPT_UP_LATENCY.toMillis() / 1000.0));
            }
            if (maxBacklog > KEPT_UP_BACKLOG_SECONDS * offered) {
                missed.add("backlog " + maxBacklog);
            }
            System.out.printf("site-scale: sites=%d meters/site=%d quantities=%d offered=%d/s warmup=%ds window=%ds"
                            + " window-readings=%d delivered-in-window=%.0f/s within-1s=%.1f%% within-%.1fs=%.1f%%"
                            + " max-backlog-last-third=%d all-delivered-after-last-second=%.1fs"
                            + " central-cpu=%.2f cores central-cpu/reading=%.1fus"
                            + " fleet-cpu=%.2f cores fleet-cpu/reading=%.1fus (its own count %.1fus) fleet-late-p99=%dms max=%dms"
                            + " others-cpu=%.2f cores load=%s->%s bytes/reading=%.1f%n",
                    sites, meters, quantities, offered, warmup, seconds, windowReadings, delivered / span, 100 * within1s,
                    KEPT_UP_LATENCY.toMillis() / 1000.0, 100 * withinBound, maxBacklog,
                    (allDelivered - (first + warmup + seconds - 1) * 1000) / 1000.0,
                    centralCpu / span, centralCpu * 1e6 / delivered, fleetCpu / span, fleetCpu * 1e6 / windowReadings,
                    fleetCpuOwn * 1e6 / windowReadings, lateP99, lateMax,
                    (end.machineBusy() - start.machineBusy() - centralCpu - fleetCpu) / span,
                    loadBefore, loadAfter, (double) bytes / windowReadings);
            System.out.printf("site-scale: kept_up=%s%s sites=%d offered=%d/s central-cpu/reading=%.1fus fleet-cpu=%.2f cores"
                            + " others-cpu=%.2f cores%n",
                    missed.isEmpty(), missed.isEmpty() ? "" : " (missed: " + String.join("; ", missed) + ")", sites, offered,
                    centralCpu * 1e6 / delivered, fleetCpu / span,
                    (end.machineBusy() - start.machineBusy() - centralCpu - fleetCpu) / span);
        } finally {
            sampler.shutdownNow();
            fleet.destroyForcibly();
        }
    }

    private static void untilMillis(long epochMillis) throws InterruptedException {
        long wait = epochMillis - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }

    /** Per 10 s of the run: delivered/s, the central's backlog at the end, cores by whom; the window marked. */
    private static void printTable(List<Sample> samples, long windowStart, long windowEnd, long offered) {
        System.out.printf("site-scale: %8s %12s %9s %9s %8s %7s %7s (offered %d/s; * = measured window)%n", "second",
                "delivered/s", "backlog", "<=2.5s", "central", "fleet", "others", offered);
        Sample run = samples.get(0);
        Sample from = run;
        for (int i = 10; i < samples.size() + 9; i += 10) {
            Sample to = samples.get(Math.min(i, samples.size() - 1));
            double s = (to.epochMillis() - from.epochMillis()) / 1000.0;
            if (s <= 0) {
                break;
            }
            double central = (to.centralCpu() - from.centralCpu()) / s;
            double fleet = to.fleetCpu() >= 0 && from.fleetCpu() >= 0 ? (to.fleetCpu() - from.fleetCpu()) / s : Double.NaN;
            boolean inWindow = from.epochMillis() >= windowStart - 500 && to.epochMillis() <= windowEnd + 500;
            double confirmed = to.latencyCount() - from.latencyCount();
            System.out.printf("site-scale: %7d%s %12.0f %9d %8.1f%% %8.2f %7.2f %7.2f%n", (to.epochMillis() - run.epochMillis()) / 1000,
                    inWindow ? "*" : " ", (to.delivered() - from.delivered()) / s, to.backlog(),
                    confirmed > 0 ? 100 * (to.withinBound() - from.withinBound()) / confirmed : 100.0, central, fleet,
                    (to.machineBusy() - from.machineBusy()) / s - central - (Double.isNaN(fleet) ? 0 : fleet));
            from = to;
        }
    }

    /** The central's CPU by kind of thread (numbers in names dropped), in nanoseconds; threads that ended are not in it. */
    private static Map<String, Long> threadCpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> byKind = new TreeMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            long cpu = info == null ? -1 : threads.getThreadCpuTime(info.getThreadId());
            if (cpu > 0) {
                byKind.merge(info.getThreadName().replaceAll("@[0-9a-f]+|\\d+", "#"), cpu, Long::sum);
            }
        }
        return byKind;
    }

    private static void printThreads(Map<String, Long> before, Map<String, Long> after, double seconds) {
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), (e.getValue() - before.getOrDefault(e.getKey(), 0L)) / 1e9 / seconds))
                .filter(e -> e.getValue() >= 0.005)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> System.out.printf("site-scale: central thread cores %.3f %s%n", e.getValue(), e.getKey()));
    }

    private static Sample sample(long fleetPid, SiteTraffic traffic, MeterRegistry metrics) {
        Timer latency = metrics.find("busbar.target.latency").timer();
        HistogramSnapshot histogram = latency == null ? null : latency.takeSnapshot();
        return new Sample(System.currentTimeMillis(), cpuNanos() / 1e9, processCpu(fleetPid), machineBusy(),
                traffic.readings("north"), delivered(metrics), histogram == null ? 0 : histogram.count(),
                within(histogram, Duration.ofSeconds(1)), within(histogram, KEPT_UP_LATENCY));
    }

    /** Readings delivered within {@code bound} of their source time (a bucket of the timer). */
    private static double within(HistogramSnapshot histogram, Duration bound) {
        if (histogram == null) {
            return 0;
        }
        for (CountAtBucket bucket : histogram.histogramCounts()) {
            if (bucket.bucket(TimeUnit.NANOSECONDS) == bound.toNanos()) {
                return bucket.count();
            }
        }
        throw new IllegalStateException("no latency bucket of " + bound);
    }

    /** A process's CPU seconds (user + system) from /proc/PID/stat, -1 once it is gone. */
    private static double processCpu(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields from the third on: utime is the 14th, stime the 15th
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException gone) {
            return -1;
        }
    }

    /** CPU seconds the whole machine spent busy (not idle, not waiting for I/O) since boot. */
    private static double machineBusy() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < Math.min(cpu.length, 9); i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(cpu[i]);
                }
            }
            return busy / TICKS_PER_SECOND;
        } catch (IOException e) {
            return 0;
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    /** The fleet's first second and its window's first second once it printed them (every site connected), else none. */
    private static long[] firstSecond(Path fleetLog) throws IOException {
        Matcher first = Pattern.compile("fleet first=(\\d+) window=(\\d+)").matcher(Files.readString(fleetLog));
        return first.find() ? new long[] {Long.parseLong(first.group(1)), Long.parseLong(first.group(2))} : new long[0];
    }

    private static double delivered(MeterRegistry metrics) {
        return metrics.find("busbar.target.delivered").counters().stream().mapToDouble(Counter::count).sum();
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static Recording startJfr() throws Exception {
        if (System.getProperty("jfr") == null) {
            return null;
        }
        Recording recording = new Recording(Configuration.getConfiguration("profile"));
        recording.start();
        return recording;
    }

    private static void stopJfr(Recording recording) throws IOException {
        if (recording != null) {
            recording.stop();
            recording.dump(Path.of(System.getProperty("jfr")));
            recording.close();
        }
    }

    private Path config(int port, int sites) throws IOException {
        String pairs = IntStream.range(0, sites).mapToObj(s -> "site-" + s).collect(Collectors.joining(", "));
        Path config = dir.resolve("busbar.yaml");
        Files.writeString(config, """
                central:
                  listen: 127.0.0.1:%d
                  key-store: %s
                  key-store-password: %s
                  trust-store: %s
                  trust-store-password: %s
                  sites:
                    north:
                      certificate: %s
                      pairs: [%s]
                targets:
                  readings:
                    type: file
                    path: readings.jsonl
                routes:
                %s
                buffer:
                  data-dir: data
                """.formatted(port, SiteToCentralIT.cert("central.p12"), SiteToCentralIT.PASSWORD,
                SiteToCentralIT.cert("trust.p12"), SiteToCentralIT.PASSWORD, SiteToCentralIT.cert("site-north.pem"), pairs,
                IntStream.range(0, sites).mapToObj(s -> "  - {from: site-" + s + ", to: [readings]}")
                        .collect(Collectors.joining("\n"))), StandardCharsets.UTF_8);
        return config;
    }
}
