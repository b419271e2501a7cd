package io.busbar.bootstrap.federation;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the central received from each site: readings (in total and over the last
 * {@link #RATE_WINDOW_SECONDS} seconds), the time of the last one, and writes refused.
 */
public final class SiteTraffic {

    static final int RATE_WINDOW_SECONDS = 10;

    private final Clock clock;
    private final Map<String, Site> sites = new ConcurrentHashMap<>();

    public SiteTraffic(Clock clock, Iterable<String> siteIds) {
        this.clock = clock;
        siteIds.forEach(id -> sites.put(id, new Site()));
    }

    void received(String site, long readings) {
        Site s = sites.get(site);
        if (s != null) {
            s.record(clock.instant(), readings);
        }
    }

    void refused(String site) {
        Site s = sites.get(site);
        if (s != null) {
            s.refused.incrementAndGet();
        }
    }

    public long readings(String site) {
        return sites.get(site).readings.get();
    }

    public long refusedWrites(String site) {
        return sites.get(site).refused.get();
    }

    public Optional<Instant> lastReading(String site) {
        return Optional.ofNullable(sites.get(site).last.get());
    }

    /** Readings per second over the last {@link #RATE_WINDOW_SECONDS} whole seconds. */
    public double readingsPerSecond(String site) {
        return sites.get(site).rate(clock.instant().getEpochSecond());
    }

    private static final class Site {
        private final AtomicLong readings = new AtomicLong();
        private final AtomicLong refused = new AtomicLong();
        private final AtomicReference<Instant> last = new AtomicReference<>();
        /** Readings per second, by epoch second modulo the window size, with the second they count. */
        private final AtomicLongArray counts = new AtomicLongArray(RATE_WINDOW_SECONDS + 1);
        private final AtomicLongArray seconds = new AtomicLongArray(RATE_WINDOW_SECONDS + 1);

        synchronized void record(Instant now, long n) {
            readings.addAndGet(n);
            last.set(now);
            long second = now.getEpochSecond();
            int slot = (int) (second % counts.length());
            if (seconds.get(slot) != second) {
                seconds.set(slot, second);
                counts.set(slot, 0);
            }
            counts.addAndGet(slot, n);
        }

        synchronized double rate(long nowSecond) {
            long sum = 0;
            for (int i = 0; i < counts.length(); i++) {
                long second = seconds.get(i);
                // the current second is still filling: count the last whole seconds only
                if (second < nowSecond && second >= nowSecond - RATE_WINDOW_SECONDS) {
                    sum += counts.get(i);
                }
            }
            return (double) sum / RATE_WINDOW_SECONDS;
        }
    }
}
