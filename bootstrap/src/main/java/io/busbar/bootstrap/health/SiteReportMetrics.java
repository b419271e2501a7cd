package io.busbar.bootstrap.health;

import io.busbar.bootstrap.federation.SiteReport;
import io.busbar.bootstrap.federation.SiteReports;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;

/**
 * At the central, per site, what its newest status report says: {@code busbar_site_backlog_messages},
 * {@code busbar_site_backlog_readings}, {@code busbar_site_oldest_age_seconds},
 * {@code busbar_site_report_age_seconds} and {@code busbar_site_reports_malformed_total}. A figure
 * the site has not reported (no report yet, readings unknown) is -1, as the last reading's age is
 * before the first reading.
 */
final class SiteReportMetrics {

    private SiteReportMetrics() {
    }

    static void register(MeterRegistry registry, SiteReports reports, String site) {
        gauge(registry, reports, site, "busbar.site.backlog.messages",
                "Reading batches waiting at the site, as it last reported; -1 before its first report",
                report -> report.backlogMessages());
        gauge(registry, reports, site, "busbar.site.backlog.readings",
                "Readings waiting at the site, as it last reported; -1 when not reported or not known there",
                report -> report.backlogReadings().isPresent() ? report.backlogReadings().getAsLong() : -1);
        gauge(registry, reports, site, "busbar.site.oldest.age.seconds",
                "Age of the oldest reading waiting at the site, as it last reported; -1 before its first report",
                report -> report.oldestAge().toSeconds());
        Gauge.builder("busbar.site.report.age.seconds", () -> reports.newest(site)
                        .map(received -> received.age(reports.now()).toMillis() / 1000.0).orElse(-1.0))
                .description("Seconds since the site's last status report arrived; stale above "
                        + SiteReports.STALE_AFTER.toSeconds() + "; -1 before the first")
                .tag("site", site).register(registry);
        FunctionCounter.builder("busbar.site.reports.malformed", reports, r -> r.malformed(site))
                .description("Status reports from the site that could not be read (ignored)").tag("site", site)
                .register(registry);
    }

    private static void gauge(MeterRegistry registry, SiteReports reports, String site, String name, String description,
                              ToDoubleFunction<SiteReport> figure) {
        Gauge.builder(name, () -> reports.newest(site).map(received -> figure.applyAsDouble(received.report())).orElse(-1.0))
                .description(description).tag("site", site).register(registry);
    }
}
