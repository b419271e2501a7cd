package io.busbar.bootstrap.federation;

import static org.awaitility.Awaitility.await;

import io.busbar.bootstrap.config.ConfigFile;
import io.busbar.bootstrap.support.FreePorts;
import io.busbar.bootstrap.support.InProcessBusbar;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
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
 * cores beside the central). Prints the readings/s the central delivered while the sites sent,
 * how long it needed after the last send, the central's CPU (this JVM's: the fleet is apart) per
 * reading, and bytes per reading on the link. {@code -Djfr=FILE} records the central's window
 * with JFR's profile settings.
 *
 * <pre>mvn -B -o -pl bootstrap -am test -Dtest=SiteScaleBench -Dsurefire.failIfNoSpecifiedTests=false -Dsites=50</pre>
 */
class SiteScaleBench {

    /** The fleet JVM starting and making 50 TLS connections on a loaded machine. */
    private static final Duration FLEET_START = Duration.ofMinutes(3);

    @RegisterExtension
    final InProcessBusbar central = new InProcessBusbar();

    @TempDir
    Path dir;

    @Test
    void sitesInto1Central() throws Exception {
        int sites = Integer.getInteger("sites", 50);
        int meters = Integer.getInteger("meters", 200);
        int quantities = Integer.getInteger("quantities", 1);
        int seconds = Integer.getInteger("seconds", 60);
        int port = FreePorts.next();
        ConfigurableApplicationContext context = central.start(ConfigFile.load(config(port, sites)));
        MeterRegistry metrics = context.getBean(MeterRegistry.class);
        Path fleetLog = dir.resolve("fleet.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), SiteFleet.class.getName(), String.valueOf(port),
                String.valueOf(sites), String.valueOf(meters), String.valueOf(quantities), String.valueOf(seconds)));
        Process fleet = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(fleetLog.toFile()).start();
        try {
            long first = await().atMost(FLEET_START).pollInterval(Duration.ofMillis(100))
                    .until(() -> firstSecond(fleetLog), second -> second > 0);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> Instant.now().getEpochSecond() >= first);
            Recording jfr = startJfr();
            long cpuStart = cpuNanos();
            double deliveredStart = delivered(metrics);
            long wallStart = System.nanoTime();
            if (!fleet.waitFor(seconds + 600L, java.util.concurrent.TimeUnit.SECONDS) || fleet.exitValue() != 0) {
                throw new IllegalStateException("the fleet failed: " + Files.readString(fleetLog));
            }
            double deliveredBySendEnd = delivered(metrics) - deliveredStart;
            double sendSeconds = (System.nanoTime() - wallStart) / 1e9;
            Instant lastSent = Instant.now();
            Matcher fleetResult = Pattern.compile("fleet readings=(\\d+) bytes=(\\d+)").matcher(Files.readString(fleetLog));
            if (!fleetResult.find()) {
                throw new IllegalStateException("the fleet printed no result: " + Files.readString(fleetLog));
            }
            long total = Long.parseLong(fleetResult.group(1));
            long bytes = Long.parseLong(fleetResult.group(2));
            System.out.printf("site-scale: fleet done: %d readings sent, %.0f delivered so far%n", total,
                    delivered(metrics) - deliveredStart);
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200))
                    .conditionEvaluationListener(condition -> {
                        if (condition.getElapsedTimeInMS() % 10_000 < 200) {
                            System.out.printf("site-scale: %.0f of %d delivered%n", delivered(metrics) - deliveredStart, total);
                        }
                    })
                    .until(() -> delivered(metrics) - deliveredStart >= total);
            double lag = Duration.between(lastSent, Instant.now()).toMillis() / 1000.0;
            long cpu = cpuNanos() - cpuStart;
            double wall = (System.nanoTime() - wallStart) / 1e9;
            stopJfr(jfr);
            System.out.printf("site-scale: sites=%d meters/site=%d quantities=%d offered=%d/s readings=%d"
                            + " delivered-while-sending=%.0f/s done-after-last-send=%.1fs central-cpu=%.2f cores"
                            + " central-cpu/reading=%.1fus bytes/reading=%.1f%n", sites, meters, quantities,
                    sites * meters * quantities, total, deliveredBySendEnd / sendSeconds, lag, cpu / 1e9 / wall,
                    cpu / 1e3 / total, (double) bytes / total);
        } finally {
            fleet.destroyForcibly();
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
