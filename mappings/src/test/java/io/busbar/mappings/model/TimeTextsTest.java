package io.busbar.mappings.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeTextsTest {

    private static final Instant T0 = Instant.parse("2026-12-05T15:07:31.200Z");

    private final TimeTexts texts = new TimeTexts();

    @Test
    void eachTimeHasItsIsoText() {
        for (Instant time : List.of(T0, T0.plusNanos(1), T0.plusMillis(100), Instant.parse("1999-12-31T23:59:59Z"),
                Instant.parse("2026-12-05T15:07:31.123456Z"))) {
            assertThat(texts.of(time)).isEqualTo(time.toString());
            assertThat(texts.of(time)).as("asked again").isEqualTo(time.toString());
        }
    }

    /** A read-back slice: 200 nodes, each with the same 100 times at 10 Hz; formatted about once each. */
    @Test
    void theTimesOfAHistorySliceAreFormattedOnceNotOncePerNode() {
        List<Instant> times = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            times.add(T0.plus(Duration.ofMillis(100L * i)));
        }
        List<String> firstNode = times.stream().map(texts::of).toList();

        int same = 0;
        for (int node = 1; node < 200; node++) {
            for (int i = 0; i < times.size(); i++) {
                String text = texts.of(times.get(i));
                assertThat(text).isEqualTo(times.get(i).toString());
                same += text == firstNode.get(i) ? 1 : 0;
            }
        }
        assertThat(same).as("texts reused of %d", 199 * 100).isGreaterThan(199 * 90);
    }
}
