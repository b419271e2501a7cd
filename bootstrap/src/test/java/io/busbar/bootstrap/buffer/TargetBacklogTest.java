package io.busbar.bootstrap.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.support.testing.MutableClock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Behind while a delivery queue that is being taken from holds many messages; a queue nobody takes
 * from (its target down) never holds read-backs back, however deep; answers are kept briefly.
 */
class TargetBacklogTest {

    private static final String KAFKA = "busbar.target.kafka";
    private static final String HTTP = "busbar.target.http";

    private final MutableClock clock = new MutableClock();
    private final Queues queues = new Queues();
    private final TargetBacklog backlog = new TargetBacklog(queues, List.of(KAFKA, HTTP), clock);

    @Test
    void aDeepQueue_whoseTargetTakesReadings_isBehind_andAShallowOneIsNot() {
        queues.set(KAFKA, TargetBacklog.BEHIND_MESSAGES - 1, 10);
        assertThat(backlog.behind()).isFalse();

        later();
        queues.set(KAFKA, TargetBacklog.BEHIND_MESSAGES, 20);
        assertThat(backlog.behind()).isTrue();

        later();
        queues.set(KAFKA, 3, 400);
        assertThat(backlog.behind()).as("caught up").isFalse();
    }

    @Test
    void aDeepQueue_whoseTargetTookNothingForAWhile_doesNotHoldReadBacksBack() {
        queues.set(HTTP, 10 * TargetBacklog.BEHIND_MESSAGES, 50);
        assertThat(backlog.behind()).as("first look: counted as taking").isTrue();

        clock.advance(TargetBacklog.TAKING_WITHIN.minusMillis(1));
        assertThat(backlog.behind()).as("took nothing, but only just").isTrue();

        clock.advance(TargetBacklog.TAKING_WITHIN);
        assertThat(backlog.behind()).as("took nothing for %s: down", TargetBacklog.TAKING_WITHIN).isFalse();

        later();
        queues.set(HTTP, 10 * TargetBacklog.BEHIND_MESSAGES, 51);
        assertThat(backlog.behind()).as("taking again").isTrue();
    }

    @Test
    void theAnswer_isKeptForTheRefreshPeriod() {
        queues.set(KAFKA, 0, 0);
        assertThat(backlog.behind()).isFalse();
        queues.set(KAFKA, 1_000, 5);
        assertThat(backlog.behind()).as("within %s", TargetBacklog.REFRESH).isFalse();
        assertThat(queues.asked).isEqualTo(2); // both queues, once

        later();
        assertThat(backlog.behind()).isTrue();
    }

    private void later() {
        clock.advance(TargetBacklog.REFRESH);
    }

    /** Queue depths and acknowledged counts a test sets. */
    private static final class Queues implements BufferQueues {
        final Map<String, long[]> state = new HashMap<>();
        int asked;

        void set(String queue, long depth, long acknowledged) {
            state.put(queue, new long[] {depth, acknowledged});
        }

        @Override
        public long messageCount(String queue) {
            return state.getOrDefault(queue, new long[2])[0];
        }

        @Override
        public long messagesAcknowledged(String queue) {
            asked++;
            return state.getOrDefault(queue, new long[2])[1];
        }

        @Override
        public Optional<Instant> firstMessageTime(String queue, String property) {
            return Optional.empty();
        }
    }
}
