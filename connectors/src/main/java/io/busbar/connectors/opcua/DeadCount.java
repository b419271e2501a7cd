package io.busbar.connectors.opcua;

import java.util.function.IntSupplier;

/**
 * A count that is expensive to take (a scan of every item) and rarely changes: taken again only
 * after {@link #changed()}. Writers call {@link #changed()} after they changed what is counted, from
 * any thread; a change that lands while a count runs leaves the flag set, so the next call counts
 * again rather than keep a stale figure.
 */
final class DeadCount {

    private volatile boolean stale = true;
    private volatile int count;

    void changed() {
        stale = true;
    }

    int get(IntSupplier counter) {
        if (stale) {
            stale = false; // before counting: a change during the count sets it again
            count = counter.getAsInt();
        }
        return count;
    }
}
