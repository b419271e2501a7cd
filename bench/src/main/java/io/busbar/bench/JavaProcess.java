package io.busbar.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A process the driver started (a JVM, launched directly so its pid is the JVM's and kill -9 hits
 * it), with stdout and stderr in files, and what /proc says about its CPU time and memory.
 */
final class JavaProcess {

    static final long CLOCK_TICKS_PER_SECOND = clockTicks();

    final String name;
    final Process process;
    final Path stdout;
    final Path stderr;
    final long startedMs;

    private JavaProcess(String name, Process process, Path stdout, Path stderr, long startedMs) {
        this.name = name;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.startedMs = startedMs;
    }

    static JavaProcess start(String name, List<String> command, Path logDir, Path workDir) throws IOException {
        Files.createDirectories(logDir);
        Path out = logDir.resolve(name + ".out");
        Path err = logDir.resolve(name + ".err");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        Files.writeString(logDir.resolve(name + ".cmd"), String.join(" ", command) + "\n");
        long now = System.currentTimeMillis();
        return new JavaProcess(name, builder.start(), out, err, now);
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until stdout has a line starting with {@code prefix}; fails if the process dies first. */
    String awaitLine(String prefix, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : Files.readAllLines(stdout, StandardCharsets.UTF_8)) {
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before printing '"
                        + prefix + "'; see " + stderr + "\n" + tail(stderr, 15));
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name + " did not print '" + prefix + "' within " + timeout + "; see " + stderr);
    }

    /** All stdout lines of the form key=value, once the process has ended. */
    List<String> keyValues() throws IOException {
        List<String> result = new ArrayList<>();
        for (String line : Files.readAllLines(stdout, StandardCharsets.UTF_8)) {
            if (line.matches("^[a-z0-9_]+=.*")) {
                result.add(line);
            }
        }
        return result;
    }

    /** kill -9: SIGKILL, no shutdown hooks, sockets reset by the kernel. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, then SIGKILL after {@code grace}. */
    void stop(Duration grace) throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            kill9();
        }
    }

    /** User + system CPU time so far, in ms; -1 once the process is gone. */
    long cpuMillis() {
        return cpuMillis(Path.of("/proc", Long.toString(pid()), "stat"));
    }

    static long selfCpuMillis() {
        return cpuMillis(Path.of("/proc/self/stat"));
    }

    private static long cpuMillis(Path stat) {
        try {
            return statTicks(Files.readString(stat)) * 1000 / CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime + stime, in clock ticks, of a process's or thread's {@code stat} line. */
    static long statTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after "pid (comm) ": state is field 3, utime 14, stime 15 → indexes 11, 12 here
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** Resident set size in kB (VmRSS); -1 once the process is gone. */
    long rssKb() {
        return status("VmRSS:");
    }

    /** Peak resident set size in kB (VmHWM). */
    long peakRssKb() {
        return status("VmHWM:");
    }

    private long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return -1;
    }

    /** Busy and total jiffies of the whole machine (/proc/stat), for machine CPU use. */
    static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            p.waitFor();
            return Long.parseLong(out);
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
