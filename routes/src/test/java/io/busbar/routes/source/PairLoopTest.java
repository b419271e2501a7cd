package io.busbar.routes.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * How a pair's threads stop: the loop's task in progress (an ingest commit) finishes uninterrupted,
 * queued tasks are skipped, and a backfill waiting for the loop ends with
 * {@link PairLoop.ClosingException}, which it treats as an ordinary stop. A shutdown during a
 * backfill at 10 Hz once logged three ERRORs: the interrupted commit, Spring's failed rollback, and
 * "backfill failed" with an IllegalStateException("interrupted").
 */
class PairLoopTest {

    @Test
    void stop_letsTheTaskInProgressFinishUninterrupted_andSkipsTheQueuedOnes() throws Exception {
        PairLoop loop = new PairLoop("plant");
        loop.start();
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean finishedUninterrupted = occupy(loop, release);
        AtomicBoolean queuedRan = new AtomicBoolean();
        loop.execute(() -> queuedRan.set(true));

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(loop::stop);
        await().atMost(Duration.ofSeconds(5)).until(loop::closing);
        release.countDown();
        stopping.get(5, TimeUnit.SECONDS);

        assertThat(finishedUninterrupted).as("the task in progress finished, not interrupted").isTrue();
        assertThat(queuedRan).as("the task queued behind it").isFalse();
        assertThat(loop.execute(() -> queuedRan.set(true))).as("refused after stop").isFalse();
    }

    @Test
    void aBackfillWaitingForTheLoop_whenThePairStops_endsWithClosing() throws Exception {
        PairLoop loop = new PairLoop("plant");
        loop.start();
        CountDownLatch release = new CountDownLatch(1);
        occupy(loop, release);
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

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(loop::stop); // interrupts the backfill thread
        Throwable end = ended.get(5, TimeUnit.SECONDS);
        release.countDown();
        stopping.get(5, TimeUnit.SECONDS);

        assertThat(end).isInstanceOf(PairLoop.ClosingException.class).hasMessage("source pair plant is closing");
    }

    @Test
    void aCallAfterThePairStopped_endsWithClosing() {
        PairLoop loop = new PairLoop("plant");
        loop.start();
        loop.stop();

        assertThatThrownBy(() -> loop.call(() -> "forwarded")).isInstanceOf(PairLoop.ClosingException.class);
    }

    /**
     * Occupies the loop with a task that waits for {@code release}; returns once that task runs, with
     * what it will say: true if it was released, false if interrupted (or not released in 10 s).
     */
    private static AtomicBoolean occupy(PairLoop loop, CountDownLatch release) throws InterruptedException {
        CountDownLatch busy = new CountDownLatch(1);
        AtomicBoolean released = new AtomicBoolean();
        loop.execute(() -> {
            busy.countDown();
            try {
                released.set(release.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
        return released;
    }
}
