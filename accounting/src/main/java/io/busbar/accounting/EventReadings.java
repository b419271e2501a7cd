package io.busbar.accounting;

import io.busbar.mappings.model.Accumulation;
import io.busbar.mappings.model.Quality;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.ValidationStatus;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * An accounting event as a reading, so the running service hands it to any target through the same
 * durable queues, retries and dead letters as readings: meter = the group, quantity
 * {@code <register quantity>@<interval>/<type>} (e.g. {@code 1-0:1.8.0@15min/imbalance}), value =
 * the difference, source time = the interval's end, key = the event key. The rest of the event
 * travels in the flags: the type first, {@code withdrawn} next for a withdrawal (the same key but
 * for its revision: a target that keeps one value per key without revision replaces the event), then
 * {@code parent=}, {@code sum=}, {@code percent=}, {@code threshold=}, {@code estimated=} (absent when unknown). Validation {@code ESTIMATED} when part
 * of parent or sum is estimated, else {@code VALID}.
 */
public final class EventReadings {

    private EventReadings() {
    }

    public static String quantity(AccountingEvent event) {
        return Keys.derivedQuantity(event.quantity(), event.length()) + '/' + event.type().wireName();
    }

    public static Reading of(AccountingEvent event) {
        List<String> flags = new ArrayList<>(7);
        flags.add(event.type().wireName());
        if (event.withdrawn()) {
            flags.add(event.state());
        }
        flag(flags, "parent", event.parent());
        flag(flags, "sum", event.sum());
        flag(flags, "percent", event.percent());
        flag(flags, "threshold", event.threshold());
        flag(flags, "estimated", event.estimated());
        boolean estimated = event.estimated() != null && event.estimated().signum() != 0;
        return new Reading(event.key(), event.pair(), null, event.group(), quantity(event), event.difference(), event.unit(),
                null, event.end(), null, Quality.GOOD, 0L, estimated ? ValidationStatus.ESTIMATED : ValidationStatus.VALID,
                flags, null, null, null, List.of(event.group()), null, Accumulation.INTERVAL, null);
    }

    private static void flag(List<String> flags, String name, BigDecimal value) {
        if (value != null) {
            flags.add(name + '=' + value.toPlainString());
        }
    }
}
