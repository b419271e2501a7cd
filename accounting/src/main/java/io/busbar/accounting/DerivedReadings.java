package io.busbar.accounting;

import io.busbar.mappings.model.Accumulation;
import io.busbar.mappings.model.Quality;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.ValidationStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * An interval's consumption as a reading in the wire format, so every target can take it: quantity
 * and key per {@link Keys}, source time = the interval's end, accumulation {@code interval}, the
 * meter's attributes, unit and tariff from its register readings. Validation {@code VALID}, or
 * {@code ESTIMATED} with flags {@code estimated} and {@code estimated-<method>}; {@code rollover} /
 * {@code reset} when the register went down inside the interval.
 */
final class DerivedReadings {

    static final String ESTIMATED = "estimated";

    private DerivedReadings() {
    }

    static Reading of(String pair, IntervalConsumption interval, Reading sample) {
        String quantity = Keys.derivedQuantity(interval.series().quantity(), interval.length());
        List<String> flags = new ArrayList<>(interval.events());
        ValidationStatus status = ValidationStatus.VALID;
        if (interval.estimated()) {
            status = ValidationStatus.ESTIMATED;
            flags.add(0, ESTIMATED);
            flags.add(1, ESTIMATED + '-' + interval.estimatedBy().wireName());
        }
        String content = interval.consumption().toPlainString() + '|' + status + '|' + String.join(",", flags);
        return new Reading(Keys.reading(pair, interval.series().meter(), quantity, interval.end(), content), pair, null,
                interval.series().meter(), quantity, interval.consumption(), sample.unit(), null, interval.end(), null,
                Quality.GOOD, 0L, status, flags, sample.serial(), sample.account(), sample.address(), sample.groups(),
                sample.medium(), Accumulation.INTERVAL, sample.tariff());
    }
}
