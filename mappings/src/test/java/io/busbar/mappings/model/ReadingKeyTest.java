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
}
