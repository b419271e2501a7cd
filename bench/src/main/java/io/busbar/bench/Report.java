package io.busbar.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the bench found: a table of rows (scenario, figure, value, goal, verdict), notes, and
 * key=value figures, printed at the end; progress goes to stderr as it happens.
 */
final class Report {

    final long runStart = System.currentTimeMillis();
    final Map<String, String> figures = new LinkedHashMap<>();
    final List<String[]> rows = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    /** Counts that need the readings to have arrived: evaluated once the scenarios are over. */
    private final List<Runnable> deferred = new ArrayList<>();

    void row(String scenario, String figure, String value, String goal, String verdict) {
        rows.add(new String[] {scenario, figure, value == null ? "-" : value, goal, verdict});
    }

    void note(String note) {
        notes.add(note);
    }

    void figure(String key, String value) {
        figures.put(key, value);
    }

    /** Runs {@code count} in {@link #finishDeferred}, when the late readings have had time to arrive. */
    void defer(Runnable count) {
        deferred.add(count);
    }

    /** Counts lost and duplicated readings of the failover and drain windows, as late as possible. */
    void finishDeferred() throws InterruptedException {
        Thread.sleep(3_000);
        // later scenarios first: each inserts its rows at the position it recorded
        for (int i = deferred.size() - 1; i >= 0; i--) {
            deferred.get(i).run();
        }
        deferred.clear();
    }

    void progress(String message) {
        System.err.printf("[%5.0fs] %s%n", (System.currentTimeMillis() - runStart) / 1000.0, message);
    }

    void print(boolean quick, Path out) {
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

    static String verdictAtLeast(double value, double goal) {
        if (value >= goal) {
            return "met";
        }
        return String.format(Locale.ROOT, "MISSED by %s (%.0f%% of goal)", fmtD(goal - value), 100 * value / goal);
    }

    static String verdictAtMost(double value, double goal) {
        if (value <= goal) {
            return "met";
        }
        return String.format(Locale.ROOT, "MISSED by %s (%.1f× goal)", fmtD(value - goal), value / goal);
    }

    static String pct(double fraction) {
        return Double.isNaN(fraction) ? "?" : String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "? (no metrics)";
        }
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String fmtD(double v) {
        return Math.abs(v) >= 10 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
