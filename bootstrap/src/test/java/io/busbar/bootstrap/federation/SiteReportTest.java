package io.busbar.bootstrap.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A site's status report on the link, and the central keeping the newest good one per site. */
class SiteReportTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final SiteReport REPORT = new SiteReport("north", NOW.minusSeconds(2), false, 1_234,
            OptionalLong.of(14_808), Duration.ofSeconds(75), "1.0.0");

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final SiteReports reports = new SiteReports(Clock.fixed(NOW, ZoneOffset.UTC), List.of("north", "south"));

    @BeforeEach
    void captureLog() {
        logs.start();
        ((Logger) LoggerFactory.getLogger(SiteReports.class)).addAppender(logs);
    }

    @AfterEach
    void releaseLog() {
        ((Logger) LoggerFactory.getLogger(SiteReports.class)).detachAppender(logs);
    }

    @Test
    void report_survivesTheLinkUnchanged() {
        assertThat(SiteReport.decode(REPORT.encode())).isEqualTo(REPORT);
        SiteReport unknownReadings = new SiteReport("north", NOW, true, 3, OptionalLong.empty(), Duration.ZERO, "development");
        assertThat(SiteReport.decode(unknownReadings.encode())).isEqualTo(unknownReadings);
        assertThat(REPORT.encode().length).as("bytes on the link").isLessThan(250);
    }

    @Test
    void badReports_areRefusedNamingWhatIsWrong() {
        assertThatThrownBy(() -> decode("not json")).hasMessageStartingWith("not JSON");
        assertThatThrownBy(() -> decode("[1]")).hasMessage("not a JSON object");
        assertThatThrownBy(() -> decode(json().replace("\"v\":1", "\"v\":2"))).hasMessageStartingWith("v: must be 1");
        assertThatThrownBy(() -> decode(json().replace("\"backlogMessages\":1234", "\"backlogMessages\":-1")))
                .hasMessageStartingWith("backlogMessages: must be a whole number >= 0");
        assertThatThrownBy(() -> decode(json().replace("\"backlogMessages\":1234", "\"backlogMessages\":\"many\"")))
                .hasMessageStartingWith("backlogMessages:");
        assertThatThrownBy(() -> decode(json().replace("\"linkUp\":false,", ""))).hasMessageStartingWith("linkUp:");
        assertThatThrownBy(() -> decode(json().replace("2026-12-04T11:59:58Z", "yesterday")))
                .hasMessageStartingWith("reportedAt: must be an ISO-8601 instant");
        assertThatThrownBy(() -> SiteReport.decode(new byte[SiteReport.MAX_BYTES + 1])).hasMessageContaining("at most");
    }

    @Test
    void centralKeepsTheNewestReport_underTheCertificatesSite() {
        reports.accept("north", REPORT.encode());
        SiteReport older = new SiteReport("north", NOW.minusSeconds(30), true, 9, OptionalLong.of(99), Duration.ZERO, "1.0.0");
        reports.accept("north", older.encode());

        assertThat(reports.newest("north")).hasValueSatisfying(received -> {
            assertThat(received.report()).as("an older report arriving late does not win").isEqualTo(REPORT);
            assertThat(received.receivedAt()).isEqualTo(NOW);
            assertThat(received.stale(NOW.plus(SiteReports.STALE_AFTER))).isFalse();
            assertThat(received.stale(NOW.plus(SiteReports.STALE_AFTER).plusSeconds(1))).isTrue();
        });
        assertThat(reports.newest("south")).isEmpty();
        assertThat(reports.malformed("north")).isZero();
    }

    @Test
    void largestBacklogOfTheLastHour_outlivesTheDrain() {
        Instant[] now = {NOW};
        SiteReports timed = new SiteReports(new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        }, List.of("north"));
        assertThat(timed.largestBacklog("north")).isEmpty();
        for (long backlog : new long[] {0, 40, 90, 5, 0}) {
            timed.accept("north", backlogOf(backlog, now[0]).encode());
            now[0] = now[0].plusSeconds(10);
        }
        assertThat(timed.largestBacklog("north")).map(r -> r.report().backlogMessages()).hasValue(90L);
        assertThat(timed.newest("north")).map(r -> r.report().backlogMessages()).hasValue(0L);

        now[0] = now[0].plus(SiteReports.PEAK_WINDOW);
        timed.accept("north", backlogOf(0, now[0]).encode());
        assertThat(timed.largestBacklog("north")).as("an hour later").isEmpty();
    }

    private static SiteReport backlogOf(long messages, Instant at) {
        return new SiteReport("north", at, true, messages, OptionalLong.of(messages * 12), Duration.ofSeconds(messages),
                "1.0.0");
    }

    @Test
    void malformedReport_isCountedAndLoggedNamingTheSite_neverThrows() {
        reports.accept("north", REPORT.encode());
        reports.accept("north", "{\"v\":1,\"site\":".getBytes(StandardCharsets.UTF_8));
        // south's certificate, north's name in the body: the certificate decides, the report is not south's
        reports.accept("south", REPORT.encode());

        assertThat(reports.malformed("north")).isEqualTo(1);
        assertThat(reports.malformed("south")).isEqualTo(1);
        assertThat(reports.newest("north")).map(SiteReports.Received::report).hasValue(REPORT);
        assertThat(reports.newest("south")).as("nothing stored for south").isEmpty();
        assertThat(logs.list).hasSize(2).allMatch(event -> event.getLevel() == Level.WARN);
        assertThat(logs.list.get(0).getFormattedMessage()).startsWith("Site 'north': ignored a malformed status report")
                .contains("not JSON");
        assertThat(logs.list.get(1).getFormattedMessage()).startsWith("Site 'south': ignored a malformed status report")
                .contains("it names site 'north'");
    }

    private static String json() {
        return new String(REPORT.encode(), StandardCharsets.UTF_8);
    }

    private static SiteReport decode(String body) {
        return SiteReport.decode(body.getBytes(StandardCharsets.UTF_8));
    }
}
