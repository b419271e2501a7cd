package io.busbar.interop;

import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.ServerRole;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongBiFunction;
import java.util.stream.Collectors;

/**
 * Counts what a stream of readings owes the promise "each (meter, quantity, second) exactly once":
 * duplicates by reading key, seconds lost per quantity within a window, values that differ from what
 * the servers published, and who delivered what.
 *
 * @param from        first second of the window (inclusive)
 * @param to          last second of the window (inclusive)
 * @param quantities  per quantity: what was expected, present and lost in the window
 * @param duplicates  readings whose key was delivered before (over the whole stream, not only the window)
 * @param wrongValues readings whose raw value is not what the servers publish for that meter and second
 * @param wrongValueExamples a few of them
 * @param byServer    readings delivered from each server
 */
record StreamAudit(long from, long to, List<QuantityCount> quantities, long duplicates, long wrongValues,
                   List<String> wrongValueExamples, Map<ServerRole, Long> byServer) {

    /** How many readings of one quantity: the lost ones, with a few examples for the message. */
    record QuantityCount(String quantity, long expected, long present, List<String> lostExamples) {
        long lost() {
            return expected - present;
        }

        @Override
        public String toString() {
            return quantity + ": expected " + expected + ", present " + present + ", lost " + lost()
                    + (lostExamples.isEmpty() ? "" : " e.g. " + lostExamples);
        }
    }

    /** One quantity of every meter: its code and the value the servers publish at a second. */
    record Quantity(String code, ToLongBiFunction<Integer, Long> valueAt) {}

    private static final int EXAMPLES = 10;

    /**
     * @param meters meters 1..meters, named {@link NodeMeterServer#meterId}
     */
    static StreamAudit of(List<Reading> readings, int meters, List<Quantity> quantities, long from, long to) {
        long duplicates = readings.size() - readings.stream().map(Reading::key).distinct().count();
        List<QuantityCount> counts = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (Quantity quantity : quantities) {
            Set<String> present = new HashSet<>();
            for (Reading reading : readings) {
                if (!reading.quantity().equals(quantity.code())) {
                    continue;
                }
                long second = reading.sourceTime().getEpochSecond();
                int meter = Integer.parseInt(reading.meter().substring("Meter".length()));
                BigDecimal expected = BigDecimal.valueOf(quantity.valueAt().applyAsLong(meter, second));
                if (reading.raw() == null || reading.raw().compareTo(expected) != 0) {
                    wrong.add(reading.key() + "=" + reading.raw() + " (expected " + expected + ")");
                }
                if (second >= from && second <= to) {
                    present.add(reading.meter() + "@" + second);
                }
            }
            List<String> lost = new ArrayList<>();
            for (int meter = 1; meter <= meters; meter++) {
                for (long second = from; second <= to; second++) {
                    String id = NodeMeterServer.meterId(meter) + "@" + second;
                    if (!present.contains(id) && lost.size() < EXAMPLES) {
                        lost.add(id);
                    }
                }
            }
            counts.add(new QuantityCount(quantity.code(), meters * (to - from + 1), present.size(), lost));
        }
        Map<ServerRole, Long> byServer = new EnumMap<>(readings.stream()
                .collect(Collectors.groupingBy(Reading::server, Collectors.counting())));
        return new StreamAudit(from, to, counts, duplicates, wrong.size(),
                List.copyOf(wrong.subList(0, Math.min(EXAMPLES, wrong.size()))), byServer);
    }

    /** The meter servers' two quantities: energy and power, each (meter, second) with its value. */
    static StreamAudit energyAndPower(List<Reading> readings, int meters, long from, long to) {
        return of(readings, meters, List.of(
                new Quantity(NodeOpcUaPairFailoverIT.ENERGY, NodeMeterServer::energy),
                new Quantity(NodeOpcUaPairFailoverIT.POWER, NodeMeterServer::power)), from, to);
    }

    QuantityCount quantity(String code) {
        return quantities.stream().filter(q -> q.quantity().equals(code)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no quantity " + code + " in " + quantities));
    }

    @Override
    public String toString() {
        return "window [" + from + ".." + to + "] (" + (to - from + 1) + " s): " + quantities
                + "; duplicates " + duplicates + "; wrong values " + wrongValues + wrongValueExamples
                + "; readings by server " + byServer;
    }
}
