package io.busbar.routes.source;

import io.busbar.support.DaemonThreads;
import io.busbar.connectors.opcua.OpcUaSourceOptions;
import io.busbar.connectors.opcua.browse.BrowseException;
import io.busbar.routes.plan.SourcePairPlan;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a source pair whose mapping has browse templates as soon as they can be resolved, so that
 * Busbar starts before its SCADA servers: it tries in the background, with the back-off of the
 * primary's connection ({@link OpcUaSourceOptions#retryDelay()} doubling up to {@link
 * OpcUaSourceOptions#maxRetryDelay()}), until a server of the pair can be browsed, and shows the
 * pair as {@link WaitingPair} in {@link SourcePairs} meanwhile.
 *
 * <p>Lifecycle: {@link #start(Consumer)} once, then {@link #close()} once. The consumer is called at
 * most once, on the starter's thread, with the resolved plan; it runs even if {@link #close()} was
 * called meanwhile, so its owner checks whether the starter is still the current one. {@link
 * #close()} does not wait for an attempt in progress (a browse can take the connect and request
 * timeouts): the attempt is interrupted and its result dropped.
 */
final class PairStarter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PairStarter.class);

    /** What resolving the templates takes; {@link BrowseTemplates#resolve} in production. */
    @FunctionalInterface
    interface Resolver {
        SourcePairPlan resolve(SourcePairPlan plan) throws BrowseException;
    }

    private final SourcePairPlan plan;
    private final Resolver resolver;
    private final SourcePairs pairs;
    private final Clock clock;
    private final Duration maxDelay;
    private final ScheduledExecutorService executor;
    private Consumer<SourcePairPlan> onResolved;
    private volatile boolean closed;
    /** Touched by the executor's thread only. */
    private Duration nextDelay;
    private int attempts;
    private Instant since;
    private String lastReason;

    PairStarter(SourcePairPlan plan, Resolver resolver, SourcePairs pairs, Clock clock) {
        this.plan = plan;
        this.resolver = resolver;
        this.pairs = pairs;
        this.clock = clock;
        this.nextDelay = plan.primary().options().retryDelay();
        this.maxDelay = plan.primary().options().maxRetryDelay();
        this.executor = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("busbar-resolve-" + plan.name()));
    }

    /** Tries at once, then again after each failure; returns at once. */
    void start(Consumer<SourcePairPlan> onResolved) {
        this.onResolved = Objects.requireNonNull(onResolved, "onResolved");
        executor.execute(this::attempt);
    }

    @Override
    public void close() {
        synchronized (this) { // an attempt that fails just now must not mark the pair waiting again
            closed = true;
            pairs.stopWaiting(plan.name());
        }
        executor.shutdownNow();
    }

    private void attempt() {
        if (closed) {
            return;
        }
        attempts++;
        if (since == null) {
            since = clock.instant();
        }
        SourcePairPlan resolved;
        try {
            resolved = resolver.resolve(plan);
        } catch (BrowseException | RuntimeException e) {
            retryLater(e instanceof BrowseException ? e.getMessage() : e.toString());
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            pairs.stopWaiting(plan.name());
        }
        if (attempts > 1) {
            log.info("Source pair {}: the mapping's browse templates are resolved after {} attempts; starting the pair",
                    plan.name(), attempts);
        }
        executor.shutdown(); // this attempt was the last
        onResolved.accept(resolved);
    }

    /** Logs the first failure at WARN, a changed reason at INFO, a repeated one at DEBUG; never a stack trace. */
    private void retryLater(String reason) {
        Duration delay = nextDelay;
        nextDelay = delay.multipliedBy(2).compareTo(maxDelay) <= 0 ? delay.multipliedBy(2) : maxDelay;
        synchronized (this) {
            if (closed) {
                return;
            }
            pairs.waiting(new WaitingPair(plan.name(), reason, since, attempts, clock.instant().plus(delay)));
        }
        if (lastReason == null) {
            log.warn("Source pair {}: waiting to start until a server can be browsed: {}; retrying in the background",
                    plan.name(), reason);
        } else if (!reason.equals(lastReason)) {
            log.info("Source pair {}: still waiting to start: {}", plan.name(), reason);
        } else {
            log.debug("Source pair {}: still waiting to start (attempt {}, next in {}): {}", plan.name(), attempts,
                    delay, reason);
        }
        lastReason = reason;
        try {
            executor.schedule(this::attempt, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }
}
