package io.busbar.accounting;

import io.busbar.mappings.accounting.AccountingSpec;
import io.busbar.mappings.model.Accumulation;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.Register;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Energy accounting of one source pair over a period: consumption per interval of every register
 * (derived readings), group balance and limit events, and group totals between the period's ends.
 *
 * <p>A pure function of its input: the same readings give the same output, byte for byte, whatever
 * their order (except that of two readings with the same source time the later one wins, which is
 * how corrections replace). So recomputing a period after late data changes exactly the intervals
 * the data touched; see {@link Keys} for how their keys say so.
 *
 * <p>Readings used: those of this pair whose accumulation is {@code register} (or not given, when
 * the mapping says the register is one); derived readings ({@code @} in the quantity) and readings
 * of other pairs are ignored.
 */
public final class Accounting {

    /**
     * @param intervals derived readings, ordered by meter, quantity, interval length and time
     * @param events    balance and limit events, ordered by group, quantity, interval length and time
     * @param totals    group totals from the period's start to its end
     * @param withdrawn per interval judged and event type that does not hold in it, its withdrawal (see
     *                  {@link AccountingEvent#withdrawn()}): sent by the running accounting where it handed the event on before
     */
    public record Result(Instant from, Instant to, List<Reading> intervals, List<AccountingEvent> events, List<TotalRow> totals,
                         List<AccountingEvent> withdrawn) {
    }

    private final String pair;
    private final AccountingSpec spec;
    private final Map<SeriesId, Register> registers = new LinkedHashMap<>();

    /** @param registers the pair's mapped registers (digits for rollovers, which meter has which register) */
    public Accounting(String pair, AccountingSpec spec, List<Register> registers) {
        this.pair = Objects.requireNonNull(pair, "pair");
        this.spec = Objects.requireNonNull(spec, "spec");
        for (Register register : registers) {
            if (register.accumulation() == Accumulation.REGISTER) {
                this.registers.putIfAbsent(new SeriesId(register.meter(), register.quantity()), register);
            }
        }
    }

    /**
     * @param readings in the order they arrived
     * @param from     the period's start, or null for the start of the shortest interval holding the first reading
     * @param to       the period's end, or null for the last reading's time; only whole intervals inside are computed
     */
    public Result compute(List<Reading> readings, Instant from, Instant to) {
        Input input = input(readings);
        if (input.first == null && (from == null || to == null)) {
            return new Result(from, to, List.of(), List.of(), List.of(), List.of());
        }
        Instant start = from != null ? from : spec.shortest().start(input.first, spec.timeZone());
        Instant end = to != null ? to : input.last;
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("the period's end " + end + " is not after its start " + start);
        }
        Consumption consumption = new ConsumptionCalculator(spec).compute(input.series, start, end);
        List<Reading> derived = new ArrayList<>(consumption.intervals().size());
        for (IntervalConsumption interval : consumption.intervals()) {
            derived.add(DerivedReadings.of(pair, interval, input.samples.get(interval.series())));
        }
        GroupChecks.Findings findings = new GroupChecks(pair, spec, consumption, input.known, input.units).events(start, end);
        List<TotalRow> totals = Totals.between(spec, consumption, input.known, input.samples, start, end);
        return new Result(start, end, derived, findings.raised(), totals, findings.withdrawn());
    }

    /**
     * Group totals alone from {@code from} to {@code to} (the same as {@link Result#totals()} of that
     * period); {@code from} may equal {@code to}: consumption 0 and the register sums at that moment.
     */
    public List<TotalRow> totals(List<Reading> readings, Instant from, Instant to) {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("the period's end " + to + " is before its start " + from);
        }
        Input input = input(readings);
        Consumption consumption = new ConsumptionCalculator(spec).atMoments(input.series, from, to);
        return Totals.between(spec, consumption, input.known, input.samples, from, to);
    }

    /** The readings this accounting counts, as unwrapped series. */
    private record Input(Map<SeriesId, RegisterSeries> series, Map<SeriesId, Reading> samples, Map<SeriesId, String> units,
                         Set<SeriesId> known, Instant first, Instant last) {
    }

    private Input input(List<Reading> readings) {
        Map<SeriesId, List<Reading>> bySeries = new TreeMap<>();
        Instant first = null;
        Instant last = null;
        for (Reading reading : readings) {
            if (!counts(reading)) {
                continue;
            }
            bySeries.computeIfAbsent(new SeriesId(reading.meter(), reading.quantity()), k -> new ArrayList<>()).add(reading);
            first = first == null || reading.sourceTime().isBefore(first) ? reading.sourceTime() : first;
            last = last == null || reading.sourceTime().isAfter(last) ? reading.sourceTime() : last;
        }
        Map<SeriesId, RegisterSeries> series = new LinkedHashMap<>();
        Map<SeriesId, Reading> samples = new HashMap<>();
        Map<SeriesId, String> units = new HashMap<>();
        bySeries.forEach((id, list) -> {
            RegisterSeries s = RegisterSeries.of(id, list, registers.get(id));
            if (!s.isEmpty()) {
                series.put(id, s);
                samples.put(id, s.sample());
                units.put(id, s.sample().unit());
            }
        });
        Set<SeriesId> known = new TreeSet<>(registers.keySet());
        known.addAll(bySeries.keySet());
        return new Input(series, samples, units, known, first, last);
    }

    /** A register reading this accounting counts: of its pair, not derived, a register by its accumulation or the mapping. */
    boolean counts(Reading reading) {
        return reading.pair().equals(pair) && reading.quantity().indexOf('@') < 0 && isRegister(reading);
    }

    private boolean isRegister(Reading reading) {
        if (reading.accumulation() != null) {
            return reading.accumulation() == Accumulation.REGISTER;
        }
        return registers.containsKey(new SeriesId(reading.meter(), reading.quantity()));
    }
}
