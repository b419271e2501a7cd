package io.busbar.bootstrap.buffer;

import io.busbar.connectors.target.RejectedReadingsException;
import io.busbar.connectors.target.Target;
import io.busbar.mappings.model.Reading;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A target whose answers a test scripts: fail transiently a number of times, stay down, or refuse
 * the readings of some meters for good. It records what it accepted, in order. The broker, the
 * routes and the transactions around it are the real ones under test.
 */
final class ScriptedTarget implements Target {

    private final String name;
    private final List<Reading> accepted = new ArrayList<>();
    private final AtomicInteger transientFailuresLeft = new AtomicInteger();
    private final Set<String> refusedMeters = ConcurrentHashMap.newKeySet();
    private final AtomicInteger deliveries = new AtomicInteger();
    private volatile boolean down;
    private volatile java.time.Duration retryAfterOnce;
    private final boolean batchIsItsIdentity;
    private final List<Integer> batchSizes = new java.util.concurrent.CopyOnWriteArrayList<>();

    ScriptedTarget(String name) {
        this(name, false);
    }

    /** @param batchIsItsIdentity as an HTTP target sending whole batches under one Idempotency-Key */
    ScriptedTarget(String name, boolean batchIsItsIdentity) {
        this.name = name;
        this.batchIsItsIdentity = batchIsItsIdentity;
    }

    @Override
    public boolean batchIsItsIdentity() {
        return batchIsItsIdentity;
    }

    /** The size of every batch deliver was called with, failed calls included. */
    List<Integer> batchSizes() {
        return List.copyOf(batchSizes);
    }

    @Override
    public String name() {
        return name;
    }

    void failTransiently(int times) {
        transientFailuresLeft.set(times);
    }

    /** The next delivery answers "come back after {@code delay}", as HTTP 429 with Retry-After does. */
    void retryAfterOnce(java.time.Duration delay) {
        retryAfterOnce = delay;
    }

    void down(boolean isDown) {
        down = isDown;
    }

    void refuse(String meter) {
        refusedMeters.add(meter);
    }

    void acceptAll() {
        refusedMeters.clear();
    }

    /** How many deliver calls succeeded (or ended in rejections): delivery units, not readings. */
    int deliveries() {
        return deliveries.get();
    }

    synchronized List<Reading> accepted() {
        return List.copyOf(accepted);
    }

    @Override
    public void deliver(List<Reading> batch) throws Exception {
        batchSizes.add(batch.size());
        if (down) {
            throw new IOException(name + " is down");
        }
        java.time.Duration retryAfter = retryAfterOnce;
        if (retryAfter != null) {
            retryAfterOnce = null;
            throw new io.busbar.connectors.target.RetryLaterException("HTTP 429 Too Many Requests", retryAfter);
        }
        if (transientFailuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IOException(name + " failed transiently");
        }
        List<RejectedReadingsException.Rejection> rejections = new ArrayList<>();
        synchronized (this) {
            for (Reading reading : batch) {
                if (refusedMeters.contains(reading.meter())) {
                    rejections.add(new RejectedReadingsException.Rejection(reading, "HTTP 422: meter " + reading.meter() + " unknown"));
                } else {
                    accepted.add(reading);
                }
            }
        }
        deliveries.incrementAndGet();
        if (!rejections.isEmpty()) {
            throw new RejectedReadingsException(rejections);
        }
    }
}
