package io.busbar.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What one thread wake-up costs on this machine, in CPU: the unit an idle Busbar pays in. An idle
 * Busbar runs no hot method; its CPU is its threads waking (timers, publish responses, the broker's
 * hand-offs: ~300 wake-ups a second at 40 readings/s, bench/README). Two patterns, each at a few
 * rates, CPU from the JVM's own process CPU time over a fixed window, the JVM's idle cost subtracted:
 * <ul>
 *   <li>timer: threads that park for a period and wake (a scheduled tick, a keep-alive timer);</li>
 *   <li>hand-off: a thread that wakes on its timer and hands an item to a second thread blocked on a
 *       queue (a callback thread waking a consumer: two wake-ups per item, counted as two).</li>
 * </ul>
 * Prints one line per measurement and {@code key=value} lines last. Usage: {@code WakeupCost [window-s]}.
 */
public final class WakeupCost {

    private static final int[] RATES = {100, 300, 1000};
    /** Threads sharing a rate: like Busbar's wake-ups, spread over many threads, not one. */
    private static final int THREADS = 10;

    private WakeupCost() {
    }

    public static void main(String[] args) throws Exception {
        int windowS = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        measure("warm-up", 1000, Pattern.HANDOFF, 5); // the threads' code loaded and compiled before anything is measured
        double idle = measure("idle JVM", 0, Pattern.TIMER, windowS);
        List<String> keys = new ArrayList<>();
        keys.add(String.format(Locale.ROOT, "wakeup_idle_jvm_cores=%.4f", idle));
        for (Pattern pattern : Pattern.values()) {
            for (int rate : RATES) {
                double cores = measure(pattern.name().toLowerCase(Locale.ROOT), rate, pattern, windowS);
                double usPerWakeup = (cores - idle) * 1e6 / rate;
                System.out.printf(Locale.ROOT, "  %-8s %5d wake-ups/s: %.4f cores above the idle JVM, %.1f µs of CPU per wake-up%n",
                        pattern.name().toLowerCase(Locale.ROOT), rate, cores - idle, usPerWakeup);
                keys.add(String.format(Locale.ROOT, "wakeup_%s_%d_us=%.1f", pattern.name().toLowerCase(Locale.ROOT), rate, usPerWakeup));
            }
        }
        keys.forEach(System.out::println);
    }

    enum Pattern { TIMER, HANDOFF }

    /** @return the process's CPU in cores over the window while {@code rate} wake-ups a second run */
    private static double measure(String label, int rate, Pattern pattern, int windowS) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        if (rate > 0) {
            // a hand-off is two wake-ups (the timer thread's and the consumer's): half as many items
            int perThread = pattern == Pattern.TIMER ? rate / THREADS : rate / 2 / THREADS;
            long periodNs = TimeUnit.SECONDS.toNanos(1) / Math.max(1, perThread);
            for (int i = 0; i < THREADS; i++) {
                threads.addAll(pattern == Pattern.TIMER ? List.of(timer(periodNs)) : handOff(periodNs));
            }
        }
        threads.forEach(Thread::start);
        Thread.sleep(1000); // let the threads reach their rhythm
        long cpuStart = processCpuNanos();
        long wallStart = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(windowS));
        double cores = (double) (processCpuNanos() - cpuStart) / (System.nanoTime() - wallStart);
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            t.join();
        }
        if (rate == 0) {
            System.out.printf(Locale.ROOT, "  %-8s: %.4f cores%n", label, cores);
        }
        return cores;
    }

    private static Thread timer(long periodNs) {
        return new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                LockSupport.parkNanos(periodNs);
            }
        }, "timer");
    }

    private static List<Thread> handOff(long periodNs) {
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(16);
        Thread consumer = new Thread(() -> {
            try {
                while (true) {
                    queue.take();
                }
            } catch (InterruptedException e) {
                // measured window over
            }
        }, "consumer");
        Thread producer = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                LockSupport.parkNanos(periodNs);
                queue.offer(Boolean.TRUE);
            }
        }, "producer");
        return List.of(producer, consumer);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
