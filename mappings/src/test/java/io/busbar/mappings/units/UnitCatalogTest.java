package io.busbar.mappings.units;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import javax.measure.Unit;
import javax.measure.UnitConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnitCatalogTest {

    /**
     * Factors known independently of Indriya (SI prefixes, 1 h = 3600 s, 1 cal(IT) = 4.1868 J,
     * 1 l = 1 dm³): the catalogue must give exactly these.
     */
    @ParameterizedTest(name = "1 {0} = {2} {1}")
    @CsvSource({
            "Wh, kWh, 0.001",
            "kWh, Wh, 1000",
            "kWh, MWh, 0.001",
            "MWh, GWh, 0.001",
            "GWh, kWh, 1000000",
            "kWh, MJ, 3.6",
            "MWh, GJ, 3.6",
            "Gcal, GJ, 4.1868",
            "Gcal, MWh, 1.163",
            "Gcal, kWh, 1163",
            "Mcal, kWh, 1.163",
            "kcal, kJ, 4.1868",
            "W, kW, 0.001",
            "MW, kW, 1000",
            "Gcal/h, kW, 1163",
            "Gcal/h, MW, 1.163",
            "varh, kvarh, 0.001",
            "Mvarh, kvarh, 1000",
            "kvar, var, 1000",
            "kVAh, VAh, 1000",
            "MVA, kVA, 1000",
            "m³, l, 1000",
            "l, m³, 0.001",
            "m3, m³, 1",
            "L, l, 1",
            "m³/h, l/h, 1000",
            "l/s, m³/h, 3.6",
            "t, kg, 1000",
            "t/h, kg/h, 1000"})
    void factor_isTheExactKnownRatio(String from, String to, String factor) {
        UnitConversion conversion = UnitCatalog.conversion(from, to);

        assertThat(conversion.exact()).isTrue();
        assertThat(conversion.decimalFactor()).isEqualByComparingTo(factor);
        assertThat(conversion.apply(BigDecimal.ONE)).isEqualByComparingTo(factor);
    }

    @Test
    void oneWattHour_isExactlyOneThousandthOfAKilowattHour() {
        assertThat(UnitCatalog.conversion("Wh", "kWh").apply(BigDecimal.ONE)).isEqualTo(new BigDecimal("0.001"));
        assertThat(UnitCatalog.conversion("Gcal", "GJ").apply(BigDecimal.ONE)).isEqualTo(new BigDecimal("4.1868"));
    }

    /** GJ → MWh is 1/3.6 = 0.2777…: no finite decimal, so the result is rounded to 34 significant digits. */
    @Test
    void nonTerminatingFactor_isRoundedTo34Digits_andSaysSo() {
        UnitConversion conversion = UnitCatalog.conversion("GJ", "MWh");

        assertThat(conversion.exact()).isFalse();
        assertThat(conversion.decimalFactor()).isNull();
        assertThat(conversion.factor()).isEqualTo(new Rational(java.math.BigInteger.valueOf(5), java.math.BigInteger.valueOf(18)));
        assertThat(conversion.apply(BigDecimal.ONE)).isEqualTo(new BigDecimal("0.2777777777777777777777777777777778"));
        assertThat(conversion.apply(new BigDecimal("3.6"))).isEqualByComparingTo("1");
    }

    /** The catalogue takes its factors from Indriya's exact rationals; Indriya's double arithmetic must agree. */
    @Test
    void everyConvertiblePair_agreesWithIndriyasOwnConverter() throws Exception {
        List<String> symbols = UnitCatalog.symbols();
        int pairs = 0;
        for (String from : symbols) {
            for (String to : symbols) {
                if (UnitCatalog.kindOf(from).equals(UnitCatalog.kindOf(to))) {
                    Unit<?> source = UnitCatalog.unitOf(from).orElseThrow();
                    UnitConverter indriya = source.getConverterToAny(UnitCatalog.unitOf(to).orElseThrow());
                    double expected = indriya.convert(1.0d);
                    BigDecimal ours = UnitCatalog.conversion(from, to).apply(BigDecimal.ONE);
                    assertThat(ours.doubleValue()).as("%s → %s", from, to).isCloseTo(expected, org.assertj.core.data.Percentage.withPercentage(1e-10));
                    pairs++;
                }
            }
        }
        assertThat(pairs).isGreaterThan(100);
    }

    @ParameterizedTest(name = "{0} → {1} is refused")
    @CsvSource({
            "m³, kWh, cannot convert volume (m³) to energy (kWh)",
            "kvarh, kWh, cannot convert reactive energy (kvarh) to energy (kWh)",
            "kvar, kW, cannot convert reactive power (kvar) to power (kW)",
            "kVA, kW, cannot convert apparent power (kVA) to power (kW)",
            "kW, kWh, cannot convert power (kW) to energy (kWh)",
            "m³/h, m³, cannot convert volume flow (m³/h) to volume (m³)",
            "t, m³, cannot convert mass (t) to volume (m³)"})
    void differentKinds_doNotConvert(String from, String to, String message) {
        assertThatThrownBy(() -> UnitCatalog.conversion(from, to))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void unknownUnit_suggestsTheRightCaseOrListsTheUnits() {
        assertThatThrownBy(() -> UnitCatalog.conversion("KWH", "MWh")).hasMessage("unknown unit 'KWH' (did you mean 'kWh'?)");
        assertThat(UnitCatalog.unknownUnitMessage("°C")).startsWith("unknown unit '°C'; units that convert: Wh, kWh, MWh,");
    }

    @Test
    void kinds_tellCumulativeUnitsFromRates() {
        assertThat(UnitCatalog.kindOf("GJ")).contains(UnitCatalog.Kind.ENERGY);
        assertThat(UnitCatalog.Kind.ENERGY.cumulative()).isTrue();
        assertThat(UnitCatalog.Kind.VOLUME.cumulative()).isTrue();
        assertThat(UnitCatalog.Kind.POWER.cumulative()).isFalse();
        assertThat(UnitCatalog.kindOf("pulses")).isEmpty();
    }

    @Test
    void inverse_undoesTheConversion() {
        UnitConversion gcalToKwh = UnitCatalog.conversion("Gcal", "kWh");

        assertThat(gcalToKwh.inverse().apply(gcalToKwh.apply(new BigDecimal("2.5")))).isEqualByComparingTo("2.5");
        assertThat(gcalToKwh.inverse().from()).isEqualTo("kWh");
        assertThat(UnitConversion.NONE.inverse()).isSameAs(UnitConversion.NONE);
        assertThat(UnitConversion.NONE.apply(new BigDecimal("1.50"))).isEqualTo(new BigDecimal("1.50"));
        assertThat(new BigDecimal("1").divide(new BigDecimal("3"), MathContext.DECIMAL128).precision()).isEqualTo(34);
    }
}
