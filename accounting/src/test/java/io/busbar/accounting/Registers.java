package io.busbar.accounting;

import io.busbar.mappings.model.Accumulation;
import io.busbar.mappings.model.MeterAttributes;
import io.busbar.mappings.model.Quality;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.ReadingKey;
import io.busbar.mappings.model.Register;
import io.busbar.mappings.model.ServerRole;
import io.busbar.mappings.model.ValidationStatus;
import io.busbar.mappings.units.UnitConversion;
import io.busbar.mappings.validation.ValidationRules;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** Registers and register readings for the tests: pair {@code plant}, energy in kWh, raw = value (scale 1). */
final class Registers {

    static final String PAIR = "plant";
    static final String ENERGY = "1-0:1.8.0";

    private Registers() {
    }

    static Register register(String meter, Integer digits) {
        return new Register("ns=2;s=" + meter, meter, ENERGY, "kWh", BigDecimal.ONE, BigDecimal.ZERO, MeterAttributes.NONE,
                Accumulation.REGISTER, "T0", digits, null, UnitConversion.NONE, ValidationRules.defaultsFor(Accumulation.REGISTER));
    }

    static Reading reading(String meter, Instant at, BigDecimal value) {
        return new Reading(ReadingKey.of(PAIR, meter, ENERGY, at), PAIR, ServerRole.PRIMARY, meter, ENERGY, value, "kWh", value,
                at, at, Quality.GOOD, 0L, ValidationStatus.VALID, List.of(), null, "acc-" + meter, null, List.of(), null,
                Accumulation.REGISTER, "T0");
    }

    static Reading reading(String meter, Instant at, String value) {
        return reading(meter, at, new BigDecimal(value));
    }
}
