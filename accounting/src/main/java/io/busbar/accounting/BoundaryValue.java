package io.busbar.accounting;

import io.busbar.mappings.accounting.EstimationMethod;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * A register's value at an interval boundary.
 *
 * @param cumulative  the unwrapped amount (see {@link RegisterSeries}); consumption is the difference of two
 * @param register    the register as it would have read
 * @param estimatedBy null when measured (a reading at the boundary, or readings close on either side),
 *                    else the method that made it up
 */
record BoundaryValue(Instant time, BigDecimal cumulative, BigDecimal register, EstimationMethod estimatedBy) {

    boolean estimated() {
        return estimatedBy != null;
    }
}
