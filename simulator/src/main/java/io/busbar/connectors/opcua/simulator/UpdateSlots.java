package io.busbar.connectors.opcua.simulator;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * The update slots of a {@link SimulatedScadaServer} (slot n starts at n × the update interval since
 * the epoch): which one the ticker dealt with last, whose values the meter nodes hold, and the
 * history gaps freezing leaves. Guarded by the server's monitor, but for the reads of
 * {@link #frozen()} and {@link #published()}.
 */
final class UpdateSlots {

    private final Clock clock;
    private final long updateMillis;
    private final HistoryGaps historyGaps = new HistoryGaps();
    private final AtomicLong published = new AtomicLong();
    private volatile boolean frozen;
    /** The last update slot (epoch ms of its start) the ticker dealt with, published or skipped frozen. */
    private long lastHandledSlotStart;
    /** The update slot whose values the meter nodes hold: the last one published. */
    private long valuesSlotStart = Long.MIN_VALUE;

    UpdateSlots(Clock clock, long updateMillis) {
        this.clock = clock;
        this.updateMillis = updateMillis;
    }

    /** The start (epoch ms) of the update slot the clock is in. */
    long currentSlotStart() {
        return Math.floorDiv(clock.millis(), updateMillis) * updateMillis;
    }

    /** The update interval in milliseconds. */
    long updateMillis() {
        return updateMillis;
    }

    /** Milliseconds from now to the start of the next slot. */
    long untilNextSlot() {
        return updateMillis - Math.floorMod(clock.millis(), updateMillis);
    }

    /** The slots without history, for the server's historian. */
    HistoryGaps historyGaps() {
        return historyGaps;
    }

    /** History gets no values from the first slot not published on. */
    void freeze(boolean running) {
        if (!frozen) {
            frozen = true;
            historyGaps.open(nextUnhandledSlotStart(running));
        }
    }

    /** History has values again from the next slot on. */
    void unfreeze(boolean running) {
        if (frozen) {
            frozen = false;
            historyGaps.close(nextUnhandledSlotStart(running));
        }
    }

    /** Whether value updates stand still; history gets no values meanwhile. */
    boolean frozen() {
        return frozen;
    }

    /** A run of the server starts: the slot the clock is in counts as dealt with. */
    void startRun() {
        lastHandledSlotStart = currentSlotStart();
        // a restarted frozen server still shows its frozen values
        if (!frozen || valuesSlotStart == Long.MIN_VALUE) {
            valuesSlotStart = lastHandledSlotStart;
        }
    }

    /** Hands every slot that began since the last tick to {@code publish} (its start), in order; none while frozen. */
    void publishDue(LongConsumer publish) {
        long slotStart = currentSlotStart();
        if (frozen) {
            // frozen slots never come, and the open history gap already covers them
            lastHandledSlotStart = Math.max(lastHandledSlotStart, slotStart);
            return;
        }
        // a tick that came late (a busy machine, a GC pause) publishes every slot it missed, in
        // order: a real SCADA server's values do not skip a second because its host was slow
        for (long slot = lastHandledSlotStart + updateMillis; slot <= slotStart; slot += updateMillis) {
            publish.accept(slot);
            lastHandledSlotStart = slot;
            valuesSlotStart = slot;
            published.incrementAndGet();
        }
    }

    long valuesSlotStart() {
        return valuesSlotStart;
    }

    /** How many slots were published since the server was built. */
    long published() {
        return published.get();
    }

    /** The first slot whose tick has not run yet: the next one to be published, or to be skipped frozen. */
    private long nextUnhandledSlotStart(boolean running) {
        return (running ? lastHandledSlotStart : currentSlotStart()) + updateMillis;
    }
}
