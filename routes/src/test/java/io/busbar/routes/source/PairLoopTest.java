package io.busbar.routes.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A backfill that waits for the loop when the pair closes ends with {@link PairLoop.ClosingException},
 * which the backfill treats as an ordinary stop: a shutdown during a backfill once logged "backfill
 * failed" at ERROR with an IllegalStateException("interrupted").
 */
class PairLoopTest {

    @Test
    void aBackfillWaitingForTheLoop_whenThePairStops_endsWithClosing() throws Exception {
        PairLoop loop = new PairLoop("plant");
        loop.start();
        CountDownLatch loopBusy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> {
            loopBusy.countDown();
            awaitQuietly(release);
        });
        assertThat(loopBusy.await(5, TimeUnit.SECONDS)).isTrue();
        CountDownLatch calling = new CountDownLatch(1);
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        loop.inBackground(() -> {
            calling.countDown();
            try {
                loop.call(() -> "forwarded");
                ended.complete(null);
            } catch (Throwable t) {
                ended.complete(t);
            }
        });
        assertThat(calling.await(5, TimeUnit.SECONDS)).isTrue();

        loop.stop(); // interrupts the backfill thread, in its wait or before it
        release.countDown();

        assertThat(ended.get(5, TimeUnit.SECONDS)).isInstanceOf(PairLoop.ClosingException.class)
                .hasMessage("source pair plant is closing");
    }

    @Test
    void aCallAfterThePairStopped_endsWithClosing() {
        PairLoop loop = new PairLoop("plant");
        loop.start();
        loop.stop();

        assertThatThrownBy(() -> loop.call(() -> "forwarded")).isInstanceOf(PairLoop.ClosingException.class);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
