package io.busbar.accounting;

import java.util.Objects;

/** One register of one meter: the unit consumption is computed for. */
public record SeriesId(String meter, String quantity) implements Comparable<SeriesId> {

    public SeriesId {
        Objects.requireNonNull(meter, "meter");
        Objects.requireNonNull(quantity, "quantity");
    }

    @Override
    public int compareTo(SeriesId other) {
        int byMeter = meter.compareTo(other.meter);
        return byMeter != 0 ? byMeter : quantity.compareTo(other.quantity);
    }
}
