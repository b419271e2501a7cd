package io.busbar.bootstrap.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskLimitTest {

    @TempDir
    Path dir;

    @Test
    void bufferAtItsLimit_hasNoRoom_untilDeliveriesFreeSpace() throws Exception {
        Path journal = dir.resolve("journal/activemq-data-1.amq");
        Files.createDirectories(journal.getParent());
        Files.write(journal, new byte[2 << 20]);

        try (DiskLimit limit = new DiskLimit(dir, OptionalLong.of(1 << 20))) {
            assertThat(limit.hasRoom()).isFalse();
            assertThat(limit.usedBytes()).isEqualTo(2 << 20);

            Files.delete(journal);
            await().atMost(Duration.ofSeconds(5)).until(limit::hasRoom);
            assertThat(limit.usedBytes()).isZero();
        }
    }

    @Test
    void withoutALimit_thereIsAlwaysRoom() throws Exception {
        Files.write(dir.resolve("big"), new byte[1 << 20]);

        try (DiskLimit limit = new DiskLimit(dir, OptionalLong.empty())) {
            assertThat(limit.hasRoom()).isTrue();
            assertThat(limit.usedBytes()).isEqualTo(1 << 20);
        }
    }

    @Test
    void theDirectoryIsMeasuredEverySecondWithALimit_everyTenSecondsWithout() {
        assertThat(DiskLimit.periodMs(OptionalLong.of(1 << 20))).isEqualTo(1_000);
        assertThat(DiskLimit.periodMs(OptionalLong.empty())).isEqualTo(10_000);
    }
}
