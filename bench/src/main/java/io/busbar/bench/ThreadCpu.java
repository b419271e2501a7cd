package io.busbar.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of one JVM's threads by what they do — the JIT compilers, the collector with the VM
 * thread that runs its safepoints, and the rest (Busbar's own work and its libraries') — between
 * two instants, from {@code /proc/PID/task}. Why: in a 60 s window that starts a minute after
 * launch, the compilers alone took 0.18-0.32 of Busbar's ~0.9 cores at 10 Hz (2026-12-06), so
 * the process's CPU per reading mixes warm-up with the steady cost.
 */
final class ThreadCpu {

    enum Kind { JIT, GC, REST }

    private final long pid;
    private final long startMs = System.currentTimeMillis();
    private final Map<String, Sample> start;

    /** A thread's name as /proc gives it and its utime + stime ticks. */
    private record Sample(String name, long ticks) {
    }

    private ThreadCpu(long pid) {
        this.pid = pid;
        this.start = ticksByThread(pid);
    }

    static ThreadCpu start(JavaProcess process) {
        return new ThreadCpu(process.pid());
    }

    /** Cores by kind since {@link #start}; threads that ended meanwhile are not counted. */
    Map<Kind, Double> cores() {
        double seconds = (System.currentTimeMillis() - startMs) / 1000.0;
        Map<Kind, Double> cores = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            cores.put(kind, 0.0);
        }
        ticksByThread(pid).forEach((tid, now) -> {
            Sample before = start.get(tid);
            long used = now.ticks() - (before == null ? 0 : before.ticks());
            cores.merge(kind(now.name()), used / (double) JavaProcess.CLOCK_TICKS_PER_SECOND / seconds, Double::sum);
        });
        return cores;
    }

    /** By the thread's name as /proc gives it (15 characters): "C2 CompilerThre", "GC Thread#1", "VM Thread". */
    static Kind kind(String name) {
        if (name.contains("CompilerThre")) {
            return Kind.JIT;
        }
        if (name.startsWith("GC Thread") || name.equals("VM Thread") || name.startsWith("G1 ")) {
            return Kind.GC;
        }
        return Kind.REST;
    }

    /** Every thread by its id; empty once the process is gone. */
    private static Map<String, Sample> ticksByThread(long pid) {
        Map<String, Sample> ticks = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            tasks.forEach(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    ticks.put(task.getFileName().toString(), new Sample(name, JavaProcess.statTicks(stat)));
                } catch (IOException | RuntimeException e) {
                    // the thread ended between the listing and the read
                }
            });
        } catch (IOException | RuntimeException e) {
            // the process is gone
        }
        return ticks;
    }
}
