package io.busbar.accounting;

import io.busbar.mappings.Mapping;
import io.busbar.mappings.accounting.AccountingSpec;
import io.busbar.mappings.accounting.IntervalLength;
import io.busbar.mappings.model.Quality;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.Register;
import io.busbar.mappings.model.ValidationStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The accounting of one source pair inside the running service: it takes the pair's readings as
 * they leave the durable buffer, keeps the register readings it still needs in a {@link RegisterLog},
 * and whenever a series crossed an interval boundary (or late data arrived) recomputes its window
 * with the same {@link Accounting} the batch command runs. Outputs (derived readings and events) are
 * those whose key is new or whose revision changed since they were last handed on, see
 * {@link EmittedLog}, and the withdrawals of events handed on before that the recomputation no longer
 * raises ({@link AccountingEvent#withdrawn()}).
 *
 * <p>Protocol, one buffer message at a time, inside the message's transaction:
 * {@link #settle(boolean)} → {@link #accept} → {@link #due} → send the outputs in the same transaction.
 * The outputs of a message count as handed on only when the next message arrives not redelivered
 * (then the previous transaction committed); a redelivery means it rolled back and they are computed
 * again. So no output is ever lost. A kill -9 after a commit and before the next message makes the
 * restart send that last message's outputs again, with the same keys and revisions: a target that
 * keeps one value per key stores them once.
 *
 * <p>The window: intervals that end after the horizon, the start of the longest computed interval
 * that holds (newest reading − lateness). Register readings older than the horizon are not taken
 * (counted as late; the batch command recomputes such periods); the log keeps, of closed intervals,
 * only the readings around each boundary and around each decrease, which gives the same boundary
 * values and rollovers as all of them.
 */
public final class LiveAccounting implements AutoCloseable {

    public static final Duration DEFAULT_LATENESS = Duration.ofDays(1);
    static final String READINGS_FILE = "registers.jsonl";
    static final String EMITTED_FILE = "emitted.tsv";

    /** What one recomputation hands on: new or changed derived readings and events. */
    public record Outputs(List<Reading> intervals, List<AccountingEvent> events) {
        public static final Outputs NONE = new Outputs(List.of(), List.of());

        public boolean isEmpty() {
            return intervals.isEmpty() && events.isEmpty();
        }
    }

    /**
     * For health.
     *
     * @param lastClosed         end of the newest interval of the shortest length computed, or null
     * @param estimatedIntervals intervals handed on as estimates and not (yet) replaced by measured values
     * @param outOfBalance       imbalance events of the newest closed shortest interval
     * @param lateReadings       register readings older than the window, not taken
     * @param lastTotals         the last moment whose billing totals were written, or null
     * @param totalsProblem      why the totals of the moment due could not be written, or null
     */
    public record Status(String pair, Instant newestReading, Instant lastClosed, long estimatedIntervals,
                         List<AccountingEvent> outOfBalance, long lateReadings, int keptReadings, Instant lastTotals,
                         String totalsProblem) {
    }

    private final String pair;
    private final AccountingSpec spec;
    private final Accounting accounting;
    private final Duration lateness;
    private final RegisterLog log;
    private final EmittedLog emitted;
    private final LiveTotals totals;
    private boolean dirty = true;
    private Outputs pending;
    private long late;
    private int compactedSize;
    private Instant lastClosed;
    private List<AccountingEvent> outOfBalance = List.of();

    /** @param dir where this pair's state is kept (created when missing) */
    public LiveAccounting(String pair, Mapping mapping, Path dir, Duration lateness) {
        this(pair, mapping.accounting(), mapping.registers(), dir, lateness, null);
    }

    /** @param totals billing totals at moments, or null for none */
    public LiveAccounting(String pair, Mapping mapping, Path dir, Duration lateness, LiveTotals.Settings totals) {
        this(pair, mapping.accounting(), mapping.registers(), dir, lateness, totals);
    }

    public LiveAccounting(String pair, AccountingSpec spec, List<Register> registers, Path dir, Duration lateness) {
        this(pair, spec, registers, dir, lateness, null);
    }

    public LiveAccounting(String pair, AccountingSpec spec, List<Register> registers, Path dir, Duration lateness,
                          LiveTotals.Settings totals) {
        this.pair = Objects.requireNonNull(pair, "pair");
        this.spec = spec;
        this.accounting = new Accounting(pair, spec, registers);
        this.lateness = lateness;
        this.log = RegisterLog.open(dir.resolve(READINGS_FILE));
        this.emitted = EmittedLog.open(dir.resolve(EMITTED_FILE));
        this.totals = totals == null ? null : LiveTotals.open(pair, totals, spec.timeZone(), dir);
        this.compactedSize = log.size();
    }

    public String pair() {
        return pair;
    }

    /**
     * Called first for every buffer message.
     *
     * @param redelivered the message came again: the outputs sent with the previous one were rolled back
     */
    public synchronized void settle(boolean redelivered) {
        if (pending != null && !redelivered) {
            for (Reading interval : pending.intervals()) {
                emitted.put(interval.key(), interval.sourceTime(), interval.validation() == ValidationStatus.ESTIMATED);
            }
            for (AccountingEvent event : pending.events()) {
                emitted.put(event.key(), event.end(), false);
            }
            Instant newest = newest();
            if (newest != null) {
                emitted.forgetBefore(horizon(newest));
            }
            emitted.save();
        } else if (pending != null) {
            dirty = true;
        }
        pending = null;
    }

    /** Takes the pair's register readings of a batch, on disk before this returns; @return how many */
    public synchronized int accept(List<Reading> batch) {
        Instant newest = newest();
        Instant horizon = newest == null ? null : horizon(newest);
        IntervalLength shortest = spec.shortest();
        List<Reading> fresh = new ArrayList<>();
        for (Reading reading : batch) {
            if (reading.value() == null || reading.quality() == Quality.BAD || !accounting.counts(reading)) {
                continue;
            }
            if (horizon != null && reading.sourceTime().isBefore(horizon)) {
                late++;
                continue;
            }
            Instant latest = log.latest(new SeriesId(reading.meter(), reading.quantity()));
            if (latest == null || !reading.sourceTime().isAfter(latest)
                    || !shortest.start(reading.sourceTime(), spec.timeZone()).equals(shortest.start(latest, spec.timeZone()))) {
                dirty = true; // a boundary crossed, or late data: intervals may have closed or changed
            }
            fresh.add(reading);
        }
        log.append(fresh);
        return fresh.size();
    }

    /** The outputs to send now, in the current message's transaction; writes the billing totals that are due. */
    public synchronized Outputs due() {
        Instant newest = newest();
        if (totals != null && newest != null) {
            totals.writeDue(newest, (from, to) -> accounting.totals(log.readings(), from, to));
        }
        if (!dirty || newest == null) {
            return Outputs.NONE;
        }
        dirty = false;
        Instant from = horizon(newest);
        if (!newest.isAfter(from)) {
            return Outputs.NONE;
        }
        Accounting.Result result = accounting.compute(log.readings(), from, newest);
        List<Reading> intervals = result.intervals().stream().filter(r -> emitted.isNew(r.key())).toList();
        List<AccountingEvent> events = new ArrayList<>(result.events().stream().filter(e -> emitted.isNew(e.key())).toList());
        // late data made an event handed on before no longer hold: the target must learn it
        result.withdrawn().stream().filter(e -> emitted.standing(e.key())).forEach(events::add);
        String shortest = spec.shortest().wireName();
        lastClosed = result.intervals().stream().filter(r -> r.quantity().endsWith('@' + shortest))
                .map(Reading::sourceTime).max(Instant::compareTo).orElse(lastClosed);
        outOfBalance = result.events().stream().filter(e -> e.type() == AccountingEvent.Type.IMBALANCE
                && e.length() == spec.shortest() && e.end().equals(lastClosed)).toList();
        compactIfDue(from, totals == null ? List.of() : totals.anchors(newest));
        pending = intervals.isEmpty() && events.isEmpty() ? null : new Outputs(intervals, events);
        return pending == null ? Outputs.NONE : pending;
    }

    public synchronized Status status() {
        return new Status(pair, newest(), lastClosed, emitted.estimated(), outOfBalance, late, log.size(),
                totals == null ? null : totals.lastWritten(), totals == null ? null : totals.problem());
    }

    private Instant newest() {
        Instant newest = null;
        for (NavigableMap<Instant, Reading> points : log.series().values()) {
            if (!points.isEmpty() && (newest == null || points.lastKey().isAfter(newest))) {
                newest = points.lastKey();
            }
        }
        return newest;
    }

    private Instant horizon(Instant newest) {
        IntervalLength longest = spec.intervals().get(spec.intervals().size() - 1);
        return longest.start(newest.minus(lateness), spec.timeZone());
    }

    /**
     * Rewrites the log without what no interval of the window needs, once it doubled since the last time.
     * Of the billing moments not yet written (and the previous one) it keeps the readings on either side.
     */
    private void compactIfDue(Instant horizon, List<Instant> anchors) {
        if (log.size() < 2 * compactedSize + 1000) {
            return;
        }
        IntervalLength shortest = spec.shortest();
        List<Reading> keep = new ArrayList<>();
        for (NavigableMap<Instant, Reading> points : log.series().values()) {
            TreeSet<Instant> kept = new TreeSet<>();
            Instant first = points.floorKey(horizon) != null ? points.floorKey(horizon) : points.ceilingKey(horizon);
            if (first == null) {
                continue;
            }
            Instant decreasesFrom = first;
            for (Instant anchor : anchors) {
                Instant before = points.floorKey(anchor);
                addIfPresent(kept, before);
                addIfPresent(kept, points.ceilingKey(anchor));
                decreasesFrom = before != null && before.isBefore(decreasesFrom) ? before : decreasesFrom;
            }
            Instant thinUntil = points.lastKey().minus(shortest.nominal().multipliedBy(2));
            kept.add(first);
            kept.addAll(points.tailMap(thinUntil, true).keySet());
            for (Instant b = shortest.start(first, spec.timeZone()); !b.isAfter(thinUntil); b = shortest.next(b, spec.timeZone())) {
                addIfPresent(kept, points.floorKey(b));
                addIfPresent(kept, points.ceilingKey(b));
            }
            Reading previous = null;
            for (Reading reading : points.tailMap(decreasesFrom, true).values()) {
                if (previous != null && reading.value().compareTo(previous.value()) < 0) {
                    kept.add(previous.sourceTime()); // a rollover or reset: judged from this pair
                    kept.add(reading.sourceTime());
                }
                previous = reading;
            }
            kept.forEach(t -> keep.add(points.get(t)));
        }
        log.replaceAll(keep);
        compactedSize = log.size();
    }

    private static void addIfPresent(TreeSet<Instant> set, Instant t) {
        if (t != null) {
            set.add(t);
        }
    }

    @Override
    public void close() throws IOException {
        log.close();
    }
}
