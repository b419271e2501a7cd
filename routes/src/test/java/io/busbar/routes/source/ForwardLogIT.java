package io.busbar.routes.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * Busbar killed after batches were made durable but before its watermarks were saved: the forward
 * log in the real buffer tells the restarted pair what is there, so nothing enters the buffer
 * twice, and the time it was down is still backfilled.
 */
class ForwardLogIT {

    @TempDir
    Path dir;

    @Test
    void killedWithBatchesDurableButWatermarksNotSaved_restartEntersNoReadingTwice_andLeavesNoGap() throws Exception {
        Path watermarks = dir.resolve("watermarks/plant.json");
        try (TestBuffer buffer = new TestBuffer(dir.resolve("buffer")).start();
             PairHarness pair = new PairHarness()) {
            CachingConnectionFactory connections = TestBuffer.connections();
            ChunkedBatchWriter writer = new ChunkedBatchWriter(connections, TestBuffer.PAIR);
            JmsForwardLog log = new JmsForwardLog(connections, TestBuffer.PAIR);

            pair.startDurable(writer, watermarks, log);
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(watermarks) && pair.lastSecond() > 0);
            long chunksSoFar = buffer.targetQueue().getMessageCount();
            await().atMost(Duration.ofSeconds(5)).until(() -> buffer.forwardLog().getMessageCount() < chunksSoFar);
            // from now on every save fails (its temp file cannot be created), so the log is not trimmed
            Files.createDirectories(watermarks.resolveSibling("plant.json.tmp"));
            long secondsAtBlock = pair.lastSecond();
            await().atMost(Duration.ofSeconds(10)).until(() -> pair.lastSecond() >= secondsAtBlock + 3);
            pair.killBusbar();
            long unsaved = buffer.forwardLog().getMessageCount();
            assertThat(unsaved).as("batches durable after the last watermark save").isPositive();
            Files.delete(watermarks.resolveSibling("plant.json.tmp"));

            long lastBeforeKill = pair.lastSecond();
            pair.startDurable(writer, watermarks, new JmsForwardLog(connections, TestBuffer.PAIR));
            await().atMost(Duration.ofSeconds(20)).until(() -> pair.lastSecond() >= lastBeforeKill + 3);

            pair.assertEachSecondExactlyOnce();
            assertThat(buffer.targetQueue().getMessageCount()).as("chunks in the buffer")
                    .isGreaterThan(chunksSoFar);
            log.close();
            connections.destroy();
        }
    }
}
