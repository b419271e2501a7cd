package io.busbar.routes.source;

import io.busbar.support.DaemonThreads;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two threads of a source pair: its event loop, which owns the gate, the selection, the recent
 * samples and the backfill state, and a backfill thread for the blocking history reads, whose
 * slices go back to the loop. Before {@link #start()} and after {@link #stop()} tasks are refused
 * (the pair is not running, or closing), never run on the caller's thread; tasks still queued when
 * the pair stops are skipped, and the one in progress finishes (see {@link #stop()}).
 */
final class PairLoop {

    private static final Logger log = LoggerFactory.getLogger(PairLoop.class);

    /** How long {@link #stop()} lets the loop's task in progress finish before it interrupts it. */
    static final long GRACEFUL_STOP_MS = 5_000;

    private final String pair;
    private volatile ScheduledExecutorService loop;
    private volatile ExecutorService backfill;
    private volatile boolean closing;

    PairLoop(String pair) {
        this.pair = pair;
    }

    void start() {
        closing = false;
        ScheduledThreadPoolExecutor events = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("busbar-pair-" + pair));
        events.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        loop = events;
        backfill = Executors.newSingleThreadExecutor(DaemonThreads.named("busbar-backfill-" + pair));
    }

    /** Runs the task on the loop; a failure is logged, not lost. @return false when the loop is closed */
    boolean execute(Runnable task) {
        ScheduledExecutorService current = loop;
        if (current == null) {
            return false;
        }
        try {
            current.execute(unlessClosing(task));
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** True from the start of {@link #stop()}. */
    boolean closing() {
        return closing;
    }

    /** The task, skipped once the pair is closing; a failure is logged, not lost. */
    private Runnable unlessClosing(Runnable task) {
        return () -> {
            if (closing) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("Source pair {}: unexpected failure on the pair's loop", pair, e);
            }
        };
    }

    /**
     * From another thread (the backfill's): runs the task on the loop and waits for its result.
     *
     * @throws ClosingException when the pair closes meanwhile (the loop refuses the task, or {@link #stop}
     *                          interrupts the waiting backfill thread)
     */
    <T> T call(Callable<T> task) {
        try {
            return loop.submit(() -> {
                if (closing) {
                    throw new ClosingException(pair, null);
                }
                return task.call();
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClosingException(pair, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (RejectedExecutionException e) {
            throw new ClosingException(pair, e);
        }
    }

    /** The pair closed while a task waited for the loop: an ordinary end, not a failure to report. */
    static final class ClosingException extends IllegalStateException {
        ClosingException(String pair, Exception cause) {
            super("source pair " + pair + " is closing", cause);
        }
    }

    /** @throws RejectedExecutionException when the loop is closing */
    void schedule(Runnable task, long delayMs) {
        loop.schedule(unlessClosing(task), delayMs, TimeUnit.MILLISECONDS);
    }

    void every(Runnable task, long initialDelayMs, long periodMs) {
        loop.scheduleWithFixedDelay(unlessClosing(task), initialDelayMs, periodMs, TimeUnit.MILLISECONDS);
    }

    /** @throws RejectedExecutionException when the pair is closing */
    void inBackground(Runnable task) {
        backfill.execute(task);
    }

    /**
     * Stops both threads: the backfill's at once (its history reads are read again at the next start),
     * the loop's once its task in progress finished, queued tasks skipped. That task is not interrupted:
     * an interrupted buffer commit failed and rolled back with errors in the log, for a batch the next
     * start then read back; only one that takes longer than {@link #GRACEFUL_STOP_MS} is.
     */
    void stop() {
        closing = true;
        if (backfill != null) {
            backfill.shutdownNow();
        }
        if (loop != null) {
            loop.shutdown();
            try {
                if (!loop.awaitTermination(GRACEFUL_STOP_MS, TimeUnit.MILLISECONDS)) {
                    loop.shutdownNow();
                    if (!loop.awaitTermination(1, TimeUnit.SECONDS)) {
                        log.warn("Source pair {}: the pair's loop did not stop within {} ms", pair, GRACEFUL_STOP_MS + 1_000);
                    }
                }
            } catch (InterruptedException e) {
                loop.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }
}
