package io.busbar.connectors.opcua;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The dead-item count is taken again only after a change, and never kept stale after one. */
class DeadCountTest {

    @Test
    void countsOnce_untilAChange_thenAgain() {
        DeadCount count = new DeadCount();
        AtomicInteger scans = new AtomicInteger();
        AtomicInteger dead = new AtomicInteger(3);
        assertThat(count.get(() -> scans.incrementAndGet() > 0 ? dead.get() : -1)).isEqualTo(3);
        dead.set(5);
        assertThat(count.get(() -> scans.incrementAndGet() > 0 ? dead.get() : -1)).as("no change said").isEqualTo(3);
        assertThat(scans).hasValue(1);
        count.changed();
        assertThat(count.get(() -> scans.incrementAndGet() > 0 ? dead.get() : -1)).isEqualTo(5);
        assertThat(scans).hasValue(2);
    }

    @Test
    void aChangeDuringTheCount_isCountedNextTime() {
        DeadCount count = new DeadCount();
        AtomicInteger dead = new AtomicInteger(1);
        assertThat(count.get(() -> {
            int seen = dead.get();
            dead.set(2); // another thread changes an item while this scan runs
            count.changed();
            return seen;
        })).isEqualTo(1);
        assertThat(count.get(dead::get)).isEqualTo(2);
    }
}
