package io.busbar.bootstrap.federation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At the central: the newest {@link SiteReport} of each site, with when it arrived, and the
 * reports that could not be read. The site is the one the connection's certificate names, given
 * by the caller; a report naming another site is refused. A bad report is logged and counted, and
 * never throws: the link it came on carries the site's readings too.
 */
public final class SiteReports {

    /** A report older than this many report intervals is stale: the site has not been heard from. */
    public static final int STALE_AFTER_INTERVALS = 3;
    public static final Duration STALE_AFTER = SiteReporter.INTERVAL.multipliedBy(STALE_AFTER_INTERVALS);
    /** How far back {@link #largestBacklog} looks. */
    public static final Duration PEAK_WINDOW = Duration.ofHours(1);

    private static final Logger log = LoggerFactory.getLogger(SiteReports.class);

    /** The newest report of a site and when the central received it (its own clock). */
    public record Received(SiteReport report, Instant receivedAt) {

        public Duration age(Instant now) {
            Duration age = Duration.between(receivedAt, now);
            return age.isNegative() ? Duration.ZERO : age;
        }

        public boolean stale(Instant now) {
            return age(now).compareTo(STALE_AFTER) > 0;
        }
    }

    private final Clock clock;
    private final Map<String, AtomicReference<Received>> newest = new ConcurrentHashMap<>();
    private final Map<String, RecentReports> recent = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> malformed = new ConcurrentHashMap<>();

    public SiteReports(Clock clock, Iterable<String> siteIds) {
        this.clock = clock;
        siteIds.forEach(id -> {
            newest.put(id, new AtomicReference<>());
            recent.put(id, new RecentReports());
            malformed.put(id, new AtomicLong());
        });
    }

    /** A report's body as it arrived on the connection of {@code site} (by its certificate). */
    void accept(String site, byte[] body) {
        if (!newest.containsKey(site)) {
            return;
        }
        SiteReport report;
        try {
            report = SiteReport.decode(body);
        } catch (IllegalArgumentException e) {
            ignore(site, e.getMessage());
            return;
        }
        if (!report.site().equals(site)) {
            ignore(site, "it names site '" + report.site() + "', the certificate says '" + site
                    + "' (forward.site at the site must be the id central.sites lists it under)");
            return;
        }
        Received received = new Received(report, clock.instant());
        newest.get(site).accumulateAndGet(received, (old, next) ->
                old != null && old.report().reportedAt().isAfter(next.report().reportedAt()) ? old : next);
        recent.get(site).add(received);
    }

    /** Counts and logs a report of {@code site} that is not one. */
    void ignore(String site, String reason) {
        AtomicLong counter = malformed.get(site);
        if (counter == null) {
            return;
        }
        long count = counter.incrementAndGet();
        log.warn("Site '{}': ignored a malformed status report ({} so far): {}", site, count, reason);
    }

    public Optional<Received> newest(String site) {
        return Optional.ofNullable(newest.get(site).get());
    }

    /**
     * The report with the largest backlog among those received in the last {@link #PEAK_WINDOW};
     * empty when none had a backlog. Reports made during an outage arrive once the link is back, so
     * this says how far behind the outage put the site, however fast the backlog then drained.
     */
    public Optional<Received> largestBacklog(String site) {
        return recent.get(site).largest(clock.instant());
    }

    public long malformed(String site) {
        return malformed.get(site).get();
    }

    public Instant now() {
        return clock.instant();
    }

    /** A site's reports received within {@link #PEAK_WINDOW}, for the largest backlog among them. */
    private static final class RecentReports {
        private final java.util.ArrayDeque<Received> reports = new java.util.ArrayDeque<>();

        synchronized void add(Received received) {
            reports.addLast(received);
            while (reports.peekFirst().receivedAt().isBefore(received.receivedAt().minus(PEAK_WINDOW))) {
                reports.removeFirst();
            }
        }

        synchronized Optional<Received> largest(Instant now) {
            return reports.stream().filter(r -> !r.receivedAt().isBefore(now.minus(PEAK_WINDOW)))
                    .max(java.util.Comparator.comparingLong(r -> r.report().backlogMessages()))
                    .filter(r -> r.report().backlogMessages() > 0);
        }
    }
}
