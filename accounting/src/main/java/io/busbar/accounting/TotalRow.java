package io.busbar.accounting;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A group's total for one register between two moments, for billing.
 *
 * @param meters      how many meters the group holds (nested groups' included, parent meters not)
 * @param registerSum the sum of their registers at {@code to}
 * @param consumption what they consumed from {@code from} to {@code to}
 * @param estimated   the part of {@code consumption} that is estimated
 * @param missing     meters without a value at {@code from} or {@code to}, left out of the sums
 */
public record TotalRow(String group, String quantity, String tariff, Instant from, Instant to, int meters,
                       BigDecimal registerSum, BigDecimal consumption, String unit, BigDecimal estimated, int missing) {

    /** {@code complete}, {@code estimated} (some of it), or {@code incomplete} (meters missing). */
    public String quality() {
        return missing > 0 ? "incomplete" : estimated.signum() != 0 ? "estimated" : "complete";
    }
}
