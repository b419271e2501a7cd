package io.busbar.routes.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TakeoverPointsTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final Duration OVERLAP = Duration.ofSeconds(30);
    private static final Duration MAX_WINDOW = Duration.ofHours(1);

    @Test
    void ownRecentWatermark_isKept_othersStartAtTakeoverMinusOverlap() {
        Instant recent = NOW.minus(Duration.ofMinutes(10));
        Instant tooOld = NOW.minus(Duration.ofHours(2));

        Map<String, Instant> points = TakeoverPoints.of(List.of("a", "b", "c"), Map.of("a", recent, "b", tooOld),
                Duration.ZERO, OVERLAP, MAX_WINDOW, NOW);

        assertThat(points).containsOnly(
                Map.entry("a", recent),
                Map.entry("b", NOW.minus(OVERLAP)),
                Map.entry("c", NOW.minus(OVERLAP)));
    }

    @Test
    void rewind_movesOwnWatermarksBack() {
        Instant saved = NOW.minusSeconds(12);

        Map<String, Instant> points = TakeoverPoints.of(List.of("a"), Map.of("a", saved), OVERLAP, OVERLAP, MAX_WINDOW, NOW);

        assertThat(points).containsEntry("a", saved.minus(OVERLAP));
    }
}
