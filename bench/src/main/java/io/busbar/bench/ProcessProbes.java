package io.busbar.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the driver reads from the processes it started: their logs, jcmd output and JFR recordings.
 *
 * @param logs   where jcmd's output and raw class histograms go
 * @param report takes a note of each probe that failed
 */
record ProcessProbes(Path logs, Report report) {

    /**
     * Starting a recording pauses the JVM for up to a second (its buffers, its first chunk, the
     * classes it loads): the JFR.start at a 1 Hz window's first second held one publish for 1,002 ms
     * in Busbar and delayed the server's next by 200 ms, the p99 of profiled runs (2026-12-06 00:04).
     */
    static final long JFR_SETTLE_MS = 3_000;

    /**
     * Starts a recording in each process, then waits until their start has passed. JFR's "default"
     * settings (execution samples every 20 ms, allocation samples throttled): its "profile" settings
     * cost the 10 Hz figure a third on this 2-core machine (42,906 and 47,616 readings/s against
     * 55,680-68,761 with "default", 52,660-60,631 with none; 2026-12-05/06), so a profiled full run missed
     * a goal the unprofiled one met.
     */
    void startRecordings(Map<JavaProcess, Path> recordings) throws InterruptedException {
        recordings.forEach((process, file) -> jcmd(process, "JFR.start", "name=bench", "settings=default", "filename=" + file));
        Thread.sleep(JFR_SETTLE_MS);
    }

    /** Updates the server published / slots that began, over [from, to], from its STATS lines. */
    static double serverKeptUp(JavaProcess server, long from, long to) {
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

    static boolean mentions(JavaProcess process, String text) {
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

    /** The time of the first line of a Spring Boot log containing {@code text} at or after {@code afterMs}. */
    static long logTime(JavaProcess process, String text, long afterMs) {
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

    /**
     * {@code jcmd GC.class_histogram} (a full GC first, so only live objects count): writes the top of
     * it to {@code target} and returns the live heap in bytes, -1 if unavailable.
     */
    long classHistogram(JavaProcess process, Path target) {
        try {
            Path raw = logs.resolve(process.name + "-histogram.raw");
            Process p = new ProcessBuilder(jcmdBinary(), Long.toString(process.pid()), "GC.class_histogram")
                    .redirectErrorStream(true).redirectOutput(raw.toFile()).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                // a JVM short of heap can take long for the full GC: not worth the run's time budget
                p.destroyForcibly();
                report.note("class histogram of " + process.name + " took over 30 s; skipped");
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
            report.note("class histogram failed: " + e);
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    void jcmd(JavaProcess process, String... command) {
        List<String> cmd = new ArrayList<>();
        cmd.add(jcmdBinary());
        cmd.add(Long.toString(process.pid()));
        cmd.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve("jcmd.log").toFile())).start();
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            report.note("jcmd " + String.join(" ", command) + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes the profile summary of a JFR recording to {@code target}. */
    void summarise(Path jfr, Path target) {
        if (!Files.exists(jfr)) {
            report.note("no JFR recording at " + jfr);
            return;
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (PrintStream print = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
                JfrSummary.summarise(jfr, 25, print);
            }
            Files.write(target, bytes.toByteArray());
        } catch (IOException | RuntimeException e) {
            report.note("could not summarise " + jfr + ": " + e);
        }
    }

    private static String jcmdBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    }
}
