package io.busbar.mappings.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReadingKeyTest {

    /** The key is a contract (targets dedupe on it): pair/meter/quantity/ISO source time. */
    @Test
    void key_isPairMeterQuantityAndIsoSourceTime() {
        assertThat(ReadingKey.of("plant-a", "MTR-001", "1-0:1.8.0", Instant.parse("2024-03-31T00:15:00Z")))
                .isEqualTo("plant-a/MTR-001/1-0:1.8.0/2024-03-31T00:15:00Z");
        assertThat(ReadingKey.of("plant-a", "MTR-001", "1-0:1.8.0", Instant.parse("2024-03-31T00:15:00.120Z")))
                .isEqualTo("plant-a/MTR-001/1-0:1.8.0/2024-03-31T00:15:00.120Z");
    }

    /** The last time's text is cached: alternating times must each still get their own. */
    @Test
    void alternatingSourceTimes_eachGetTheirOwnText() {
        Instant a = Instant.parse("2024-03-31T00:15:00Z");
        Instant b = a.plusNanos(1);
        for (int i = 0; i < 4; i++) {
            Instant at = i % 2 == 0 ? a : b;
            assertThat(ReadingKey.of("p", "m", "q", at)).isEqualTo("p/m/q/" + at);
        }
    }

    /** What the mapping builds per register: the same text as the four parts. */
    @Test
    void prefixThenTime_isTheSameKey() {
        Instant at = Instant.parse("2024-03-31T00:15:00.120Z");

        assertThat(ReadingKey.of(ReadingKey.prefix("plant-a", "MTR-001", "1-0:1.8.0"), at))
                .isEqualTo(ReadingKey.of("plant-a", "MTR-001", "1-0:1.8.0", at));
    }

    /** The binary buffer format leaves out exactly the keys this says are derived. */
    @Test
    void isDerived_onlyForExactlyTheDerivedKey() {
        Instant at = Instant.parse("2024-03-31T00:15:00Z");
        String key = ReadingKey.of("p/x", "m", "q", at);

        assertThat(ReadingKey.isDerived(key, "p/x", "m", "q", at)).isTrue();
        assertThat(ReadingKey.isDerived(key, "p", "x/m", "q", at)).as("same text, other parts").isTrue();
        assertThat(ReadingKey.isDerived(key, "p/x", "m", "q", at.plusMillis(1))).isFalse();
        assertThat(ReadingKey.isDerived(key + "Z", "p/x", "m", "q", at)).isFalse();
        assertThat(ReadingKey.isDerived("p/x/m/q", "p/x", "m", "q", at)).isFalse();
        assertThat(ReadingKey.isDerived("p/x/m-q/" + at, "p/x", "m", "q", at)).isFalse();
        assertThat(ReadingKey.isDerived(key, "p/x", "m", null, at)).isFalse();
        assertThat(ReadingKey.isDerived(null, "p/x", "m", "q", at)).isFalse();
    }
}
