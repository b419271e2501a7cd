package io.busbar.routes.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackfillReportTest {

    private static final Instant T0 = Instant.parse("2026-12-06T18:00:00Z");
    private static final Optional<String> NO_HISTORY = Optional.of("the secondary server has no history for 4 node(s)");

    /** The outage's round: 64 readings from a server without history for the power nodes. */
    private final BackfillReport outage = report("secondary", 64, Duration.ZERO, NO_HISTORY, 4);

    @Test
    void aFollowUpOfTheSameServerThatReadNothing_andReportsTheSameStandingProblem_addsNothing() {
        assertThat(report("secondary", 0, Duration.ZERO, NO_HISTORY, 4).addsNothingTo(outage)).isTrue();
    }

    @Test
    void aRoundThatReadSomething_leftSomethingUnfilled_orFoundANewProblem_addsToIt() {
        assertThat(report("secondary", 3, Duration.ZERO, NO_HISTORY, 4).addsNothingTo(outage)).isFalse();
        assertThat(report("secondary", 0, Duration.ofSeconds(2), NO_HISTORY, 4).addsNothingTo(outage)).isFalse();
        assertThat(report("secondary", 0, Duration.ZERO, Optional.of("Bad_Timeout"), 4).addsNothingTo(outage)).isFalse();
        assertThat(report("secondary", 0, Duration.ZERO, NO_HISTORY, 6).addsNothingTo(outage)).isFalse();
    }

    @Test
    void aRoundOfTheOtherServer_addsToIt() {
        assertThat(report("primary", 0, Duration.ZERO, NO_HISTORY, 4).addsNothingTo(outage)).isFalse();
    }

    private static BackfillReport report(String server, long readings, Duration unfilled, Optional<String> problem,
                                         int nodesWithoutHistory) {
        return new BackfillReport(server, T0, T0.plusSeconds(20), readings, false, unfilled, problem, nodesWithoutHistory);
    }
}
