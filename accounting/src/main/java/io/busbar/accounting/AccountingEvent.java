package io.busbar.accounting;

import io.busbar.mappings.accounting.IntervalLength;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * Something a group did in an interval that a person should look at: an imbalance between its parent
 * meter and the sum of its members (a leak or theft), or consumption over its allowed or maximum limit.
 *
 * @param key        deterministic: see {@link Keys#event}
 * @param parent     the parent meter's consumption (imbalance), or the group's consumption (limits)
 * @param sum        the members' sum (imbalance); null for limits
 * @param difference parent − sum (imbalance: positive when more went in than the members counted),
 *                   or consumption − limit
 * @param percent    difference as a percentage of {@code parent}; null when parent is 0
 * @param threshold  the allowed difference (imbalance) or the limit that was exceeded
 * @param estimated  how much of parent and sum together is estimated
 * @param withdrawn  false: the condition holds in this interval. True: a withdrawal, the interval was judged
 *                   again (late data, the real value after an estimate) and the condition no longer holds; the
 *                   amounts are the interval's figures now. Same key as the event it withdraws but for the
 *                   revision, which is always {@link Keys#WITHDRAWN_REVISION}
 */
public record AccountingEvent(String key, Type type, String pair, String group, String quantity, IntervalLength length,
                              Instant start, Instant end, BigDecimal parent, BigDecimal sum, BigDecimal difference,
                              BigDecimal percent, BigDecimal threshold, BigDecimal estimated, String unit, boolean withdrawn) {

    public enum Type {
        IMBALANCE,
        OVER_ALLOWED,
        OVER_MAXIMUM;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public AccountingEvent {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(group, "group");
    }

    /** {@code raised} or {@code withdrawn}. */
    public String state() {
        return withdrawn ? "withdrawn" : "raised";
    }
}
