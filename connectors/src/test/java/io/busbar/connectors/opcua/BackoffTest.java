package io.busbar.connectors.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void delayDoublesPerFailureUpToTheMaximum() {
        Backoff backoff = new Backoff(Duration.ofMillis(300), Duration.ofSeconds(1));

        assertThat(backoff.after(1)).isEqualTo(Duration.ofMillis(300));
        assertThat(backoff.after(2)).isEqualTo(Duration.ofMillis(600));
        assertThat(backoff.after(3)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.after(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void historyRetriesPauseTwoHundredFourHundredAndEightHundredMilliseconds() {
        assertThat(HistoryReader.MAX_ATTEMPTS).isEqualTo(4);
        assertThat(HistoryReader.RETRY.after(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(HistoryReader.RETRY.after(3)).isEqualTo(Duration.ofMillis(800));
    }

    @Test
    void aMaximumBelowTheFirstDelayIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .withMessageContaining("max");
    }
}
