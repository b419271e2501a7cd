package io.busbar.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The start-up and idle figures {@code bench/startup-idle --skip-demo} measured before the
 * driver started (its {@code key=value} output), as rows of the bench's table and as the keys
 * {@code startup_ms}, {@code startup_cpu_ms} (the packaged launch: the image's entry point on the
 * extracted jars with the class-data archive), {@code startup_plain_ms}, {@code startup_plain_cpu_ms}
 * ({@code java -jar busbar.jar}), {@code idle_cpu_cores}, {@code idle_rss_mb}. The script owns the
 * method (a {@code run} against a separate simulator, 20 meters = 40 readings/s, a file target);
 * this class only reports what it printed.
 */
final class StartupIdleFigures {

    static final long STARTUP_GOAL_MS = 5_000;
    static final double IDLE_GOAL_CORES = 0.02;
    static final long IDLE_GOAL_RSS_MB = 300;

    private final Map<String, String> measured;

    private StartupIdleFigures(Map<String, String> measured) {
        this.measured = measured;
    }

    static StartupIdleFigures read(Path file) throws IOException {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                kv.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        if (!kv.containsKey("run_packaged_startup_ms") && !kv.containsKey("run_startup_ms")) {
            throw new IOException(file + " holds no run_packaged_startup_ms= or run_startup_ms= line:"
                    + " did bench/startup-idle fail?");
        }
        return new StartupIdleFigures(kv);
    }

    /** Adds the table rows (scenario, figure, value, goal, verdict) and the key=value figures. */
    void addTo(List<String[]> rows, Map<String, String> figures) {
        String startup = measured.getOrDefault("run_packaged_startup_ms", "?");
        String cpu = measured.getOrDefault("run_packaged_startup_cpu_ms", "?");
        String plain = measured.getOrDefault("run_startup_ms", "?");
        String plainCpu = measured.getOrDefault("run_startup_cpu_ms", "?");
        String cores = measured.getOrDefault("run_idle_cpu_cores", "?");
        String rss = measured.getOrDefault("run_idle_rss_mb", "?");
        String idleLaunch = measured.getOrDefault("run_idle_launch", "plain");
        figures.put("startup_ms", startup);
        figures.put("startup_cpu_ms", cpu);
        figures.put("startup_plain_ms", plain);
        figures.put("startup_plain_cpu_ms", plainCpu);
        figures.put("idle_cpu_cores", cores);
        figures.put("idle_rss_mb", rss);
        figures.put("idle_rss_max_mb", measured.getOrDefault("run_idle_rss_max_mb", "?"));
        String jit = measured.getOrDefault("run_idle_jit_cores", "?");
        figures.put("idle_jit_cores", jit);
        figures.put("startup_idle_loadavg", measured.getOrDefault("loadavg", "?"));
        String load = "load average " + measured.getOrDefault("loadavg", "?");
        rows.add(new String[] {"start-up", "`busbar run` packaged (image entry point + CDS archive, outside a container;"
                + " 20 meters, file target): launch → first reading, ms (" + load + ")", startup,
                "≤ 5,000 (idle machine)", verdict(upper(startup) <= STARTUP_GOAL_MS)});
        rows.add(new String[] {"", "  CPU ms used until the first reading (the stable figure)", cpu, "", ""});
        rows.add(new String[] {"", "`java -jar busbar.jar run` (no archive): launch → first reading, ms", plain, "", ""});
        rows.add(new String[] {"", "  CPU ms used until the first reading", plainCpu, "", ""});
        rows.add(new String[] {"idle", "`busbar run` (" + launchName(idleLaunch) + ") at 40 readings/s, soon after start"
                + " (JIT still compiling): CPU cores", cores, "≤ 0.02", verdict(parse(cores) <= IDLE_GOAL_CORES)});
        rows.add(new String[] {"", "  of which the JIT compilers' threads", jit, "", ""});
        rows.add(new String[] {"", "  RSS avg / max MB", rss + " / " + measured.getOrDefault("run_idle_rss_max_mb", "?"),
                "≤ 300", verdict(parse(rss) <= IDLE_GOAL_RSS_MB)});
    }

    private static String launchName(String kind) {
        return "packaged".equals(kind) ? "packaged launch" : "`java -jar`";
    }

    /** The upper end of "min..max" (several launches) or the value itself. */
    private static double upper(String value) {
        return parse(value.contains("..") ? value.substring(value.indexOf("..") + 2) : value);
    }

    private static double parse(String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return Double.POSITIVE_INFINITY;
        }
    }

    private static String verdict(boolean met) {
        return met ? "met" : "MISSED";
    }
}
