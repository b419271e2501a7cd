package io.busbar.connectors.opcua.browse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuantitySuggestionTest {

    @ParameterizedTest(name = "{0} [{1}] -> {2} {3}")
    @CsvSource(nullValues = "-", value = {
            "Energy,          -,     1-0:1.8.0,  kWh",
            "ActiveEnergy,    -,     1-0:1.8.0,  kWh",
            "Active_Energy_Import, -, 1-0:1.8.0, kWh",
            "Total_kWh,       -,     1-0:1.8.0,  kWh",
            "Counter,         kWh,   1-0:1.8.0,  kWh",
            "Counter,         MWh,   1-0:1.8.0,  MWh",
            "ReactiveEnergy,  -,     1-0:3.8.0,  kvarh",
            "Value,           kvarh, 1-0:3.8.0,  kvarh",
            "Power,           -,     1-0:1.7.0,  kW",
            "ActivePower,     -,     1-0:1.7.0,  kW",
            "P,               kW,    1-0:1.7.0,  kW",
            "Power_L2,        -,     1-0:41.7.0, kW",
            "ReactivePower,   -,     1-0:3.7.0,  kvar",
            "Voltage,         -,     1-0:32.7.0, V",
            "Voltage L1,      V,     1-0:32.7.0, V",
            "VoltageL2,       -,     1-0:52.7.0, V",
            "U,               V,     1-0:32.7.0, V",
            "Current_L3,      -,     1-0:71.7.0, A",
            "Current,         -,     1-0:31.7.0, A",
            "Frequency,       -,     1-0:14.7.0, Hz",
            "Heat,            -,     6-0:1.0.0,  Gcal",
            "HeatEnergy,      -,     6-0:1.0.0,  Gcal",
            "Q,               Gcal,  6-0:1.0.0,  Gcal",
            "Volume,          -,     8-0:1.0.0,  m3",
            "Water_m3,        -,     8-0:1.0.0,  m3",
            "V,               m³,    8-0:1.0.0,  m³",
            "PowerFactor,     -,     0-0:96.1.0, unknown",
            "Temperature,     °C,    0-0:96.1.0, °C",
            "Heartbeat,       -,     0-0:96.1.0, unknown",
    })
    void suggestsFromNameAndEngineeringUnits(String name, String units, String quantity, String unit) {
        QuantitySuggestion suggestion = QuantitySuggestion.suggest(name, units);

        assertThat(suggestion.quantity()).isEqualTo(quantity);
        assertThat(suggestion.unit()).isEqualTo(unit);
        assertThat(suggestion.known()).isEqualTo(!quantity.equals(QuantitySuggestion.PLACEHOLDER));
        assertThat(suggestion.unitFromServer()).isEqualTo(units != null);
    }
}
