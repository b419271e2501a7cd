package io.busbar.bootstrap.federation;

import static org.awaitility.Awaitility.await;

import io.busbar.bootstrap.config.ConfigFile;
import io.busbar.bootstrap.support.FreePorts;
import io.busbar.bootstrap.support.InProcessBusbar;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * cores beside the central). {@code -Djfr=FILE} records the central's window with JFR's profile
 * settings.
 *
 * <p>Prints, every 10 s of the window, what the central delivered, its backlog and who used the
 * cores (the central, the fleet from its {@code /proc/<pid>/stat}, everything else), then one
 * result line with the verdict {@code kept_up}: true when the fleet sent every second within that
 * second (else the offered load was not offered), at least {@value #KEPT_UP_SHARE} of the readings
 * reached the file target within {@link #KEPT_UP_LATENCY} of their source second (the target's own
 * latency timer), and the central's backlog (received, not yet delivered) stayed under
 * {@value #KEPT_UP_BACKLOG_SECONDS} s of offered readings through the last third of the window.
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

    /** What the bench saw at one moment: CPU in seconds, readings as counted at the central. */
    private record Sample(long epochMillis, double centralCpu, double fleetCpu, double machineBusy, long received,
                          double delivered) {
    }

    @Test
    void sitesInto1Central() throws Exception {
        int sites = Integer.getInteger("sites", 50);
        int meters = Integer.getInteger("meters", 200);
        int quantities = Integer.getInteger("quantities", 1);
        int seconds = Integer.getInteger("seconds", 60);
        long offered = (long) sites * meters * quantities;
        int port = FreePorts.next();
        ConfigurableApplicationContext context = central.start(ConfigFile.load(config(port, sites)));
        MeterRegistry metrics = context.getBean(MeterRegistry.class);
        SiteTraffic traffic = context.getBean(FederationBroker.class).traffic();
        Path fleetLog = dir.resolve("fleet.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), SiteFleet.class.getName(), String.valueOf(port),
                String.valueOf(sites), String.valueOf(meters), String.valueOf(quantities), String.valueOf(seconds)));
        Process fleet = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(fleetLog.toFile()).start();
        List<Sample> samples = new CopyOnWriteArrayList<>();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        try {
            long first = await().atMost(FLEET_START).pollInterval(Duration.ofMillis(100))
                    .until(() -> firstSecond(fleetLog), second -> second > 0);
            await().atMost(FLEET_START).pollInterval(Duration.ofMillis(20))
                    .until(() -> System.currentTimeMillis() >= first * 1000);
            String loadBefore = loadAverage();
            Recording jfr = startJfr();
            Sample start = sample(fleet.pid(), traffic, metrics);
            sampler.scheduleAtFixedRate(() -> samples.add(sample(fleet.pid(), traffic, metrics)), 1000 - start.epochMillis() % 1000,
                    1000, TimeUnit.MILLISECONDS);
            if (!fleet.waitFor(seconds + 600L, TimeUnit.SECONDS) || fleet.exitValue() != 0) {
                throw new IllegalStateException("the fleet failed: " + Files.readString(fleetLog));
            }
            Matcher fleetResult = Pattern.compile("fleet readings=(\\d+) bytes=(\\d+) late-max-ms=(\\d+) late-p99-ms=(\\d+)"
                    + " cpu-ms=(\\d+)").matcher(Files.readString(fleetLog));
            if (!fleetResult.find()) {
                throw new IllegalStateException("the fleet printed no result: " + Files.readString(fleetLog));
            }
            long total = Long.parseLong(fleetResult.group(1));
            long bytes = Long.parseLong(fleetResult.group(2));
            long lateMax = Long.parseLong(fleetResult.group(3));
            long lateP99 = Long.parseLong(fleetResult.group(4));
            double fleetCpuOwn = Long.parseLong(fleetResult.group(5)) / 1000.0;
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> delivered(metrics) - start.delivered() >= total);
            Sample end = sample(0, traffic, metrics);
            sampler.shutdownNow();
            stopJfr(jfr);
            String loadAfter = loadAverage();
            long windowEnd = (first + seconds) * 1000;
            List<Sample> window = samples.stream().filter(s -> s.epochMillis() <= windowEnd + 500).toList();
            Sample last = window.isEmpty() ? start : window.get(window.size() - 1);
            Sample lastFleet = samples.stream().filter(s -> s.fleetCpu() >= 0).reduce((a, b) -> b).orElse(start);
            printTable(start, window, offered);
            double sendSeconds = (last.epochMillis() - start.epochMillis()) / 1000.0;
            double fleetCpu = lastFleet.fleetCpu() - start.fleetCpu();
            double centralCpu = end.centralCpu() - start.centralCpu();
            double wall = (end.epochMillis() - start.epochMillis()) / 1000.0;
            double lastDone = (end.epochMillis() - (first + seconds - 1) * 1000) / 1000.0;
            Timer latency = metrics.find("busbar.target.latency").timer();
            double withinBound = withinLatency(latency, KEPT_UP_LATENCY);
            double withinSecond = withinLatency(latency, Duration.ofSeconds(1));
            long lastThird = start.epochMillis() + (windowEnd - start.epochMillis()) * 2 / 3;
            long maxBacklog = window.stream().filter(s -> s.epochMillis() >= lastThird)
                    .mapToLong(s -> s.received() - (long) (s.delivered() - start.delivered())).max().orElse(0);
            List<String> missed = new ArrayList<>();
            if (lateP99 > 1000) {
                missed.add("fleet-late");
            }
            if (withinBound < KEPT_UP_SHARE) {
                missed.add("latency");
            }
            if (maxBacklog > KEPT_UP_BACKLOG_SECONDS * offered) {
                missed.add("backlog");
            }
            System.out.printf("site-scale: sites=%d meters/site=%d quantities=%d offered=%d/s readings=%d"
                            + " delivered-while-sending=%.0f/s within-1s=%.1f%% within-%.1fs=%.1f%%"
                            + " max-backlog-last-third=%d last-second-done-after=%.1fs"
                            + " central-cpu=%.2f cores central-cpu/reading=%.1fus"
                            + " fleet-cpu=%.2f cores fleet-cpu/reading=%.1fus (own count %.1fus) fleet-late-p99=%dms max=%dms"
                            + " others-cpu=%.2f cores load=%s->%s bytes/reading=%.1f%n",
                    sites, meters, quantities, offered, total, (last.delivered() - start.delivered()) / sendSeconds,
                    100 * withinSecond, KEPT_UP_LATENCY.toMillis() / 1000.0, 100 * withinBound, maxBacklog, lastDone,
                    centralCpu / wall, centralCpu * 1e6 / total, fleetCpu / sendSeconds, fleetCpu * 1e6 / total,
                    fleetCpuOwn * 1e6 / total, lateP99, lateMax,
                    ((last.machineBusy() - start.machineBusy()) - (last.centralCpu() - start.centralCpu()) - fleetCpu) / sendSeconds,
                    loadBefore, loadAfter, (double) bytes / total);
            System.out.printf("site-scale: kept_up=%s%s sites=%d offered=%d/s central-cpu/reading=%.1fus fleet-cpu=%.2f cores%n",
                    missed.isEmpty(), missed.isEmpty() ? "" : " (missed: " + String.join(", ", missed) + ")", sites, offered,
                    centralCpu * 1e6 / total, fleetCpu / sendSeconds);
        } finally {
            sampler.shutdownNow();
            fleet.destroyForcibly();
        }
    }

    /** Per 10 s of the window: delivered/s, backlog at the central at the end, cores by whom. */
    private static void printTable(Sample start, List<Sample> window, long offered) {
        System.out.printf("site-scale: %6s %12s %9s %8s %7s %7s (offered %d/s)%n", "second", "delivered/s", "backlog",
                "central", "fleet", "others", offered);
        Sample from = start;
        for (int i = 9; i < window.size() + 9; i += 10) {
            Sample to = window.get(Math.min(i, window.size() - 1));
            double s = (to.epochMillis() - from.epochMillis()) / 1000.0;
            if (s <= 0) {
                break;
            }
            double central = (to.centralCpu() - from.centralCpu()) / s;
            double fleet = to.fleetCpu() >= 0 && from.fleetCpu() >= 0 ? (to.fleetCpu() - from.fleetCpu()) / s : Double.NaN;
            System.out.printf("site-scale: %6d %12.0f %9d %8.2f %7.2f %7.2f%n", (to.epochMillis() - start.epochMillis()) / 1000,
                    (to.delivered() - from.delivered()) / s, to.received() - (long) (to.delivered() - start.delivered()),
                    central, fleet, (to.machineBusy() - from.machineBusy()) / s - central - (Double.isNaN(fleet) ? 0 : fleet));
            from = to;
        }
    }

    private static Sample sample(long fleetPid, SiteTraffic traffic, MeterRegistry metrics) {
        return new Sample(System.currentTimeMillis(), cpuNanos() / 1e9, fleetPid == 0 ? -1 : processCpu(fleetPid),
                machineBusy(), traffic.readings("north"), delivered(metrics));
    }

    /** Share of the readings delivered within {@code bound} of their source time (a bucket of the timer). */
    private static double withinLatency(Timer latency, Duration bound) {
        for (CountAtBucket bucket : latency.takeSnapshot().histogramCounts()) {
            if (bucket.bucket(TimeUnit.NANOSECONDS) == bound.toNanos()) {
                return bucket.count() / latency.count();
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

    /** The fleet's first second once it printed it (every site connected), else 0. */
    private static long firstSecond(Path fleetLog) throws IOException {
        Matcher first = Pattern.compile("fleet first=(\\d+)").matcher(Files.readString(fleetLog));
        return first.find() ? Long.parseLong(first.group(1)) : 0;
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
