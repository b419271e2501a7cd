package io.busbar.connectors.target.http;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** At most {@code perSecond} requests per second, evenly spaced (no bursts). */
final class RateLimiter {

    private final long intervalNanos;
    private long next = System.nanoTime();

    RateLimiter(double perSecond) {
        this.intervalNanos = (long) (TimeUnit.SECONDS.toNanos(1) / perSecond);
    }

    /** Waits for the next free slot. */
    synchronized void acquire() throws InterruptedException {
        long now = System.nanoTime();
        long slot = Math.max(now, next);
        next = slot + intervalNanos;
        while ((now = System.nanoTime()) < slot) {
            LockSupport.parkNanos(slot - now);
            if (Thread.interrupted()) {
                throw new InterruptedException("waiting for the rate limit");
            }
        }
    }
}
