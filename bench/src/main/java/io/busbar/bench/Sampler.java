package io.busbar.bench;

import io.busbar.support.DaemonThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Samples the RSS (every second) and heap (every 5 s) of the Busbar process being measured. */
final class Sampler {

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("bench-sampler"));
    /** (time ms, RSS kB) and (time ms, heap used bytes) of the Busbar process being measured. */
    private final List<long[]> rssSeries = new ArrayList<>();
    private final List<long[]> heapSeries = new ArrayList<>();
    private volatile JavaProcess sampled;
    private volatile int sampledHttpPort;
    private long samples;

    void start() {
        executor.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
    }

    /** Samples {@code process} from now on, forgetting the series of the one sampled before. */
    void follow(JavaProcess process, int httpPort) {
        synchronized (rssSeries) {
            rssSeries.clear();
            heapSeries.clear();
        }
        sampled = process;
        sampledHttpPort = httpPort;
    }

    JavaProcess sampled() {
        return sampled;
    }

    void stop() {
        sampled = null;
        executor.shutdownNow();
    }

    private void sample() {
        JavaProcess p = sampled;
        if (p == null || !p.isAlive()) {
            return;
        }
        long now = System.currentTimeMillis();
        long rss = p.rssKb();
        // the heap from Busbar's own metrics every 5 s only: a scrape costs Busbar CPU
        double heap = Double.NaN;
        if (++samples % 5 == 0) {
            heap = BusbarSetup.metric(BusbarSetup.scrape(sampledHttpPort), "jvm_memory_used_bytes", "area=\"heap\"");
        }
        synchronized (rssSeries) {
            if (rss > 0) {
                rssSeries.add(new long[] {now, rss});
            }
            if (!Double.isNaN(heap)) {
                heapSeries.add(new long[] {now, (long) heap});
            }
        }
    }

    /** Max and average RSS in kB over [from, to]. */
    long[] rss(long from, long to) {
        return stats(rssSeries, from, to);
    }

    /** Max and average heap used in bytes over [from, to]. */
    long[] heap(long from, long to) {
        return stats(heapSeries, from, to);
    }

    /** Max and average of a series over [from, to]. */
    private long[] stats(List<long[]> series, long from, long to) {
        synchronized (rssSeries) {
            long max = 0;
            long sum = 0;
            int n = 0;
            for (long[] point : series) {
                if (point[0] >= from && point[0] <= to) {
                    max = Math.max(max, point[1]);
                    sum += point[1];
                    n++;
                }
            }
            return new long[] {max, n == 0 ? 0 : sum / n};
        }
    }
}
