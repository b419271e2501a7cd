package io.busbar.bootstrap.crash;

import io.busbar.bootstrap.BusbarCli;
import io.busbar.bootstrap.demo.DemoFiles;
import io.busbar.bootstrap.support.ReadingsFile;
import io.busbar.mappings.model.Reading;
import io.busbar.support.FreePorts;
import io.busbar.support.testing.LocalService;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The crash test: the simulated SCADA pair in one process, Busbar in another, killed with SIGKILL
 * at random moments under load and started again, {@code kills} times. At the end every reading the
 * servers produced in the window must be in the file target once: {@code lost} and
 * {@code duplicates} must be 0. Run it with {@code bench/crash-test}; a short version runs in the
 * test suite ({@code CrashIT}).
 */
public final class CrashTest {

    /** What the run found. */
    public record Result(int kills, long readings, long lost, long duplicates) {
        @Override
        public String toString() {
            return "kills=" + kills + " readings=" + readings + " lost=" + lost + " duplicates=" + duplicates;
        }
    }

    static final int METERS = 10;
    static final int SERIES = METERS * 2;
    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final Duration CATCH_UP = Duration.ofSeconds(90);

    private final Path work;
    private final String classpath;
    private final PrintStream log;
    private final Random random;

    public CrashTest(Path work, String classpath, long seed, PrintStream log) {
        this.work = work;
        this.classpath = classpath;
        this.log = log;
        this.random = new Random(seed);
    }

    public static void main(String[] args) throws Exception {
        int kills = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path work = Files.createTempDirectory("busbar-crash-");
        Result result = new CrashTest(work, System.getProperty("java.class.path"), System.nanoTime(), System.out)
                .run(kills, Duration.ofSeconds(2), Duration.ofSeconds(8));
        System.out.println(result);
        System.exit(result.lost() == 0 && result.duplicates() == 0 ? 0 : 1);
    }

    public Result run(int kills, Duration minUp, Duration maxUp) throws Exception {
        int primaryPort = FreePorts.free();
        int secondaryPort = FreePorts.free();
        Path readings = work.resolve(DemoFiles.READINGS);
        Process servers = start("simulator", "simulate", "--primary-port", String.valueOf(primaryPort),
                "--secondary-port", String.valueOf(secondaryPort), "--meters", String.valueOf(METERS));
        try {
            waitFor("the simulated servers", STARTUP, () -> accepts(primaryPort) && accepts(secondaryPort));
            Path config = DemoFiles.write(work, "opc.tcp://localhost:" + primaryPort + "/busbar",
                    "opc.tcp://localhost:" + secondaryPort + "/busbar", METERS);
            for (int kill = 1; kill <= kills; kill++) {
                Process busbar = startBusbar(config, kill);
                long before = lineCount(readings);
                waitFor("readings after start " + kill, STARTUP, () -> lineCount(readings) > before);
                long upMillis = minUp.toMillis() + (long) (random.nextDouble() * (maxUp.toMillis() - minUp.toMillis()));
                Instant killAt = Instant.now().plusMillis(upMillis);
                waitFor("the kill moment", maxUp.plusSeconds(5), () -> Instant.now().isAfter(killAt));
                busbar.destroyForcibly(); // SIGKILL: no shutdown hook, no journal close
                busbar.waitFor(30, TimeUnit.SECONDS);
                log.printf("kill %d after %d ms up, file has %d lines%n", kill, upMillis, lineCount(readings));
            }
            long windowEnd = Instant.now().getEpochSecond() - 2;
            Process last = startBusbar(config, kills + 1);
            try {
                // every series: a backfill reaches the file one meter group after the other
                waitFor("catching up to " + Instant.ofEpochSecond(windowEnd), CATCH_UP,
                        () -> lastSecondOfEverySeries(readings) >= windowEnd + 2);
                return measure(readings, windowEnd, kills);
            } finally {
                last.destroy();
                last.waitFor(30, TimeUnit.SECONDS);
            }
        } finally {
            servers.destroy();
            servers.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private Result measure(Path readings, long windowEnd, int kills) throws IOException {
        List<Reading> all = ReadingsFile.read(readings);
        long windowStart = all.stream().mapToLong(r -> r.sourceTime().getEpochSecond()).min().orElseThrow();
        Set<String> keys = new HashSet<>();
        long duplicates = 0;
        for (Reading reading : all) {
            if (!keys.add(reading.key())) {
                duplicates++;
            }
        }
        long expected = (windowEnd - windowStart + 1) * SERIES;
        long present = 0;
        Set<String> inWindow = new HashSet<>();
        for (Reading reading : all) {
            long second = reading.sourceTime().getEpochSecond();
            if (second >= windowStart && second <= windowEnd) {
                present++;
                inWindow.add(reading.key());
            }
        }
        log.printf("window %s .. %s: %d series x %d s = %d readings expected, %d distinct present (%d lines)%n",
                Instant.ofEpochSecond(windowStart), Instant.ofEpochSecond(windowEnd), SERIES,
                windowEnd - windowStart + 1, expected, inWindow.size(), present);
        return new Result(kills, inWindow.size(), expected - inWindow.size(), duplicates);
    }

    private Process startBusbar(Path config, int run) throws IOException {
        return start("busbar-" + run, "run", "--config", config.toString(), "--server.port=0");
    }

    private Process start(String name, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp", classpath,
                BusbarCli.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve(name + ".log").toFile())).start();
    }

    private static long lineCount(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file).chars().filter(c -> c == '\n').count() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** The latest second every series has reached (0 while a series has none). */
    private static long lastSecondOfEverySeries(Path file) {
        Map<String, Long> last = new HashMap<>();
        for (Reading reading : ReadingsFile.read(file)) {
            last.merge(reading.meter() + "/" + reading.quantity(), reading.sourceTime().getEpochSecond(), Math::max);
        }
        return last.size() < SERIES ? 0 : last.values().stream().mapToLong(Long::longValue).min().orElse(0);
    }


    private static boolean accepts(int port) {
        return LocalService.accepts("localhost", port, Duration.ofMillis(200));
    }

    /** Polls a condition (the crash test runs outside JUnit, so without Awaitility). */
    private static void waitFor(String what, Duration atMost, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(atMost);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("gave up waiting for " + what + " after " + atMost);
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }
}
