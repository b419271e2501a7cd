package io.busbar.bootstrap.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.bootstrap.support.Http;
import java.time.Duration;
import java.time.Instant;

/**
 * What a central shows of site north's status reports ({@code /actuator/health/federation}, its
 * {@code sites.north.report}), and the largest backlog it has shown since {@link #resetPeak}: the
 * site-to-central ITs check that the central sees the backlog an outage left and then sees it drain.
 */
final class CentralReportWatch {

    private final Http central;
    private JsonNode peak;
    private Instant since = Instant.EPOCH;

    CentralReportWatch(Http central) {
        this.central = central;
    }

    /** The central's view of north's newest report now (missing when it has none), noting the peak backlog. */
    JsonNode report() {
        JsonNode report = central.getJson("/actuator/health/federation").at("/details/sites/north/report");
        if (report.isObject() && !Instant.parse(report.path("reportedAt").asText()).isBefore(since)
                && (peak == null || report.path("backlogMessages").asLong() > peak.path("backlogMessages").asLong())) {
            peak = report;
        }
        return report;
    }

    /** From now on, {@link #peak} counts reports the site made at or after {@code reportedFrom} only. */
    void resetPeak(Instant reportedFrom) {
        peak = null;
        since = reportedFrom;
    }

    /** The report with the largest backlog seen since {@link #resetPeak}; missing when none arrived. */
    JsonNode peak() {
        return peak == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : peak;
    }

    /** The link is up: a fresh report arrives with the link up. */
    void awaitFreshReportLinkUp() {
        await().atMost(SiteReporter.INTERVAL.multipliedBy(3)).pollInterval(Duration.ofMillis(500))
                .until(() -> report().path("linkUp").asBoolean());
        JsonNode report = report();
        assertThat(report.path("stale").asBoolean(true)).as("a report of a connected site").isFalse();
        assertThat(report.path("busbarVersion").asText()).isNotEmpty();
        assertThat(report.path("backlogReadings").isNumber()).as("readings known: the outbox was empty at start").isTrue();
    }

    /** After catch-up: the central hears the site's backlog is gone, and the gauges say so too. */
    void awaitBacklogReportedEmpty() {
        await().atMost(SiteReporter.INTERVAL.multipliedBy(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
            JsonNode report = report();
            return report.path("linkUp").asBoolean() && report.path("backlogMessages").asLong(-1) == 0
                    && report.path("backlogReadings").asLong(-1) == 0;
        });
        String metrics = central.get("/actuator/prometheus").body();
        assertThat(metrics).containsPattern("busbar_site_backlog_messages\\{[^}]*site=\"north\"[^}]*} 0\\.0")
                .containsPattern("busbar_site_report_age_seconds\\{[^}]*site=\"north\"")
                .containsPattern("busbar_site_oldest_age_seconds\\{[^}]*site=\"north\"[^}]*} 0\\.0")
                .containsPattern("busbar_site_reports_malformed_total\\{[^}]*site=\"north\"[^}]*} 0\\.0");
    }
}
