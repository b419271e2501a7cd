package io.busbar.mappings.accounting;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * How much a group may consume of a quantity per interval: above {@code allowed} is an
 * {@code over-allowed} event, above {@code maximum} an {@code over-maximum} event. Either may be null.
 * Amounts are in the unit of the group's meters for that quantity.
 */
public record Limit(String quantity, IntervalLength interval, BigDecimal allowed, BigDecimal maximum) {

    public Limit {
        Objects.requireNonNull(quantity, "quantity");
        Objects.requireNonNull(interval, "interval");
    }
}
