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
    private final Map<String, AtomicLong> malformed = new ConcurrentHashMap<>();

    public SiteReports(Clock clock, Iterable<String> siteIds) {
        this.clock = clock;
        siteIds.forEach(id -> {
            newest.put(id, new AtomicReference<>());
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
        Instant now = clock.instant();
        newest.get(site).accumulateAndGet(new Received(report, now), (old, next) ->
                old != null && old.report().reportedAt().isAfter(next.report().reportedAt()) ? old : next);
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

    public long malformed(String site) {
        return malformed.get(site).get();
    }

    public Instant now() {
        return clock.instant();
    }
}
