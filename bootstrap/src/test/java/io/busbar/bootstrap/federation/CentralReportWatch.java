package io.busbar.bootstrap.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.bootstrap.support.Http;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a central shows of site north's status reports ({@code /actuator/health/federation}, its
 * {@code sites.north.report} and {@code largestBacklogLastHour}): the site-to-central ITs check
 * that the central learns the backlog an outage left and then sees it drain.
 */
final class CentralReportWatch {

    /**
     * A backlog is drained when what waits is no older than this: over a latent link the batches
     * of the last moment are always in flight, sent and not yet confirmed, so a count of zero is
     * only a moment between two publishes (a report every 10 s seldom catches it).
     */
    static final long DRAINED_AGE_SECONDS = 5;

    private final Http central;

    CentralReportWatch(Http central) {
        this.central = central;
    }

    /** The central's view of north's newest report (missing when it has none). */
    JsonNode report() {
        return north().path("report");
    }

    /** The largest backlog north reported in the last hour (null when none). */
    JsonNode largestBacklog() {
        return north().path("largestBacklogLastHour");
    }

    /** An outage of {@code cut} from {@code cutAt}: the central has heard of the backlog it left, reported during it. */
    void assertOutageBacklogReported(Instant cutAt, Duration cut) {
        JsonNode largest = largestBacklog();
        assertThat(largest.path("backlogMessages").asLong()).as("largest backlog reported: " + largest).isPositive();
        // readings "if known": exact, or null where the site's count disagreed with its queue
        JsonNode readings = largest.path("backlogReadings");
        if (!readings.isNull()) {
            assertThat(readings.asLong()).isGreaterThanOrEqualTo(largest.path("backlogMessages").asLong());
        }
        assertThat(Instant.parse(largest.path("reportedAt").asText())).isAfter(cutAt);
        // at least one report falls in the last report interval of the cut
        assertThat(largest.path("oldestAgeSeconds").asLong())
                .isGreaterThanOrEqualTo(cut.minus(SiteReporter.INTERVAL).toSeconds() - 2);
    }

    private JsonNode north() {
        return central.getJson("/actuator/health/federation").at("/details/sites/north");
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

    /** A site's forward/report figures: connected and nothing waiting older than {@link #DRAINED_AGE_SECONDS}. */
    static boolean drained(JsonNode figures, String connectedField) {
        return figures.path(connectedField).asBoolean() && figures.path("backlogMessages").asLong(-1) >= 0
                && figures.path("oldestAgeSeconds").asLong(Long.MAX_VALUE) <= DRAINED_AGE_SECONDS;
    }

    /**
     * After catch-up: a report the site made since {@code restoredAt} says its backlog is drained,
     * and the gauges say so too. The report bridge reconnects on its own schedule, sometimes after
     * the readings bridge has drained the backlog; its reports then arrive in order.
     */
    void awaitBacklogReportedDrained(Instant restoredAt) {
        await().atMost(SiteReporter.INTERVAL.multipliedBy(3)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode north = north();
            JsonNode report = north.path("report");
            assertThat(report.isObject() && !Instant.parse(report.path("reportedAt").asText()).isBefore(restoredAt)
                    && drained(report, "linkUp"))
                    .as("a report since %s of a drained backlog; the central's view of north: %s", restoredAt, north)
                    .isTrue();
        });
        String metrics = central.get("/actuator/prometheus").body();
        assertThat(metrics).containsPattern("busbar_site_backlog_messages\\{[^}]*site=\"north\"")
                .containsPattern("busbar_site_report_age_seconds\\{[^}]*site=\"north\"")
                .containsPattern("busbar_site_reports_malformed_total\\{[^}]*site=\"north\"[^}]*} 0\\.0");
        Matcher oldest = Pattern.compile("busbar_site_oldest_age_seconds\\{[^}]*site=\"north\"[^}]*} (\\S+)").matcher(metrics);
        assertThat(oldest.find()).as("the oldest-age gauge of north").isTrue();
        assertThat(Double.parseDouble(oldest.group(1))).isLessThanOrEqualTo(DRAINED_AGE_SECONDS);
    }
}
