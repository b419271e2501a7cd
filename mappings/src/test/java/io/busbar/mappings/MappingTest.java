package io.busbar.mappings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.busbar.mappings.model.Accumulation;
import io.busbar.mappings.model.Medium;
import io.busbar.mappings.model.MeterAttributes;
import io.busbar.mappings.model.Quality;
import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.Register;
import io.busbar.mappings.model.ServerRole;
import io.busbar.mappings.model.ValidationStatus;
import io.busbar.mappings.units.UnitCatalog;
import io.busbar.mappings.units.UnitConversion;
import io.busbar.mappings.validation.ValidationRules;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MappingTest {

    private static final Instant SOURCE_TIME = Instant.parse("2024-03-31T00:15:00Z");
    private static final Instant SERVER_TIME = Instant.parse("2024-03-31T00:15:00.250Z");
    private static final String ENERGY = "ns=2;s=Meter001.Energy";
    private static final String POWER = "ns=2;s=Meter001.Power";

    private final Mapping mapping = new Mapping("plant-a", List.of(
            new Register(ENERGY, "MTR-001", "1-0:1.8.0", "kWh", new BigDecimal("0.001"), BigDecimal.ZERO),
            new Register(POWER, "MTR-001", "1-0:1.7.0", "kW", new BigDecimal("0.01"), new BigDecimal("-2.5"))));

    @Test
    void wattHourCount_isScaledToExactKilowattHours() {
        Reading reading = mapped(ServerRole.PRIMARY, sample(ENERGY, 123456L));

        assertThat(reading.value()).isEqualTo(new BigDecimal("123.456"));
        assertThat(reading.raw()).isEqualTo(new BigDecimal("123456"));
        assertThat(reading.unit()).isEqualTo("kWh");
        assertThat(reading.meter()).isEqualTo("MTR-001");
        assertThat(reading.quantity()).isEqualTo("1-0:1.8.0");
        assertThat(reading.pair()).isEqualTo("plant-a");
        assertThat(reading.server()).isEqualTo(ServerRole.PRIMARY);
    }

    @Test
    void offset_isAddedAfterScaling() {
        Reading reading = mapped(ServerRole.PRIMARY, sample(POWER, 1234));

        assertThat(reading.value()).isEqualTo(new BigDecimal("9.84")); // 1234 × 0.01 − 2.5
    }

    @Test
    void wholeResult_hasNoTrailingZerosAndNoExponent() {
        Reading reading = mapped(ServerRole.PRIMARY, sample(ENERGY, 5_000_000L));

        assertThat(reading.value()).isEqualTo(new BigDecimal("5000"));
        assertThat(reading.value().toString()).isEqualTo("5000");
    }

    @Test
    void doubleRaw_keepsItsShortestDecimalForm_notTheBinaryExpansion() {
        Reading reading = mapped(ServerRole.PRIMARY, sample(ENERGY, 0.1d));

        assertThat(reading.raw()).isEqualTo(new BigDecimal("0.1"));
        assertThat(reading.value()).isEqualTo(new BigDecimal("0.0001"));
    }

    /** Regression: a Float went through doubleValue(), so 0.1f became 0.100000001490116119384765625 → 0.10000000149011612. */
    @Test
    void floatRaw_keepsItsShortestDecimalForm() {
        Reading reading = mapped(ServerRole.PRIMARY, sample(ENERGY, 0.1f));

        assertThat(reading.raw()).isEqualTo(new BigDecimal("0.1"));
        assertThat(reading.value()).isEqualTo(new BigDecimal("0.0001"));
    }

    @Test
    void bigIntegerAndBigDecimalRaw_areTakenAsTheyAre() {
        assertThat(mapped(ServerRole.PRIMARY, sample(ENERGY, new BigInteger("123456789012345678901234567890"))).value())
                .isEqualTo(new BigDecimal("123456789012345678901234567.89"));
        assertThat(mapped(ServerRole.PRIMARY, sample(ENERGY, new BigDecimal("12.5"))).value())
                .isEqualTo(new BigDecimal("0.0125"));
    }

    @Test
    void smallIntegerTypes_areNumbersToo() {
        assertThat(mapped(ServerRole.PRIMARY, sample(ENERGY, (short) 1500)).value()).isEqualTo(new BigDecimal("1.5"));
        assertThat(mapped(ServerRole.PRIMARY, sample(ENERGY, (byte) 7)).value()).isEqualTo(new BigDecimal("0.007"));
    }

    /**
     * Regression: OPC UA UInt32/UInt64 arrive from Milo as UInteger/ULong, Numbers of their own class;
     * they were rejected as "not numeric".
     */
    @Test
    void otherNumberClasses_areMappedThroughTheirDecimalText() {
        assertThat(mapped(ServerRole.PRIMARY, sample(ENERGY, new UnsignedLike("18446744073709551615"))).value())
                .isEqualTo(new BigDecimal("18446744073709551.615"));
        assertThat(mapped(ServerRole.PRIMARY, sample(ENERGY, new AtomicLong(42))).value())
                .isEqualTo(new BigDecimal("0.042"));
    }

    @Test
    void key_isTheSameWhicheverServerDeliveredTheReading() {
        Reading fromPrimary = mapped(ServerRole.PRIMARY, sample(ENERGY, 100));
        Reading fromSecondary = mapped(ServerRole.SECONDARY,
                new RawSample(ENERGY, 100, SOURCE_TIME, SERVER_TIME.plusMillis(40), 0));

        assertThat(fromSecondary.key()).isEqualTo(fromPrimary.key()).isEqualTo("plant-a/MTR-001/1-0:1.8.0/2024-03-31T00:15:00Z");
        assertThat(fromPrimary.server()).isEqualTo(ServerRole.PRIMARY);
        assertThat(fromSecondary.server()).isEqualTo(ServerRole.SECONDARY);
    }

    @Test
    void key_differsForAnotherSourceTimeOrQuantity() {
        Reading energy = mapped(ServerRole.PRIMARY, sample(ENERGY, 100));
        Reading later = mapped(ServerRole.PRIMARY, new RawSample(ENERGY, 100, SOURCE_TIME.plusSeconds(900), SERVER_TIME, 0));
        Reading power = mapped(ServerRole.PRIMARY, sample(POWER, 100));

        assertThat(later.key()).isNotEqualTo(energy.key());
        assertThat(power.key()).isNotEqualTo(energy.key());
    }

    @ParameterizedTest(name = "status 0x{0} → {1}")
    @CsvSource({
            "00000000, GOOD",
            "40000000, UNCERTAIN",
            "80000000, BAD",
            "C0000000, BAD",
            "408F0000, UNCERTAIN",
            "80310000, BAD",
            "00960000, GOOD"})
    void quality_comesFromTheStatusCodeSeverity(String hex, Quality expected) {
        long status = Long.parseLong(hex, 16);

        Reading reading = mapped(ServerRole.PRIMARY, new RawSample(ENERGY, 1, SOURCE_TIME, SERVER_TIME, status));

        assertThat(reading.quality()).isEqualTo(expected);
        assertThat(reading.status()).isEqualTo(status);
    }

    @Test
    void timestamps_areCarriedAsTheServerSentThem() {
        Reading reading = mapped(ServerRole.PRIMARY, sample(ENERGY, 1));

        assertThat(reading.sourceTime()).isEqualTo(SOURCE_TIME);
        assertThat(reading.serverTime()).isEqualTo(SERVER_TIME);
    }

    @Test
    void missingSourceTime_fallsBackToServerTime() {
        Reading reading = mapped(ServerRole.PRIMARY, new RawSample(ENERGY, 1, null, SERVER_TIME, 0));

        assertThat(reading.sourceTime()).isEqualTo(SERVER_TIME);
        assertThat(reading.serverTime()).isEqualTo(SERVER_TIME);
        assertThat(reading.key()).endsWith("/" + SERVER_TIME);
    }

    @Test
    void noTimestampAtAll_isUnmappable() {
        assertThat(unmappableReason(new RawSample(ENERGY, 1, null, null, 0))).contains("neither a source nor a server timestamp");
    }

    @Test
    void serverTimeMayBeMissing() {
        Reading reading = mapped(ServerRole.PRIMARY, new RawSample(ENERGY, 1, SOURCE_TIME, null, 0));

        assertThat(reading.sourceTime()).isEqualTo(SOURCE_TIME);
        assertThat(reading.serverTime()).isNull();
    }

    @Test
    void nan_isUnmappableAndSaysSo() {
        assertThat(unmappableReason(sample(ENERGY, Double.NaN))).isEqualTo("value is NaN, not a number a meter can have (status 0x0)");
        assertThat(unmappableReason(sample(ENERGY, Float.NaN))).startsWith("value is NaN");
    }

    @Test
    void infinity_isUnmappableAndSaysSo() {
        assertThat(unmappableReason(sample(ENERGY, Double.POSITIVE_INFINITY))).startsWith("value is Infinity,");
        assertThat(unmappableReason(sample(ENERGY, Float.NEGATIVE_INFINITY))).startsWith("value is -Infinity,");
    }

    @Test
    void string_isUnmappableAndShowsTheValue() {
        assertThat(unmappableReason(sample(ENERGY, "123.4")))
                .isEqualTo("value of type String is not numeric: '123.4' (status 0x0)");
    }

    @Test
    void hugeString_isShownCut() {
        String reason = unmappableReason(sample(ENERGY, "x".repeat(10_000)));

        assertThat(reason).isEqualTo("value of type String is not numeric: '" + "x".repeat(40) + "…' (status 0x0)");
    }

    @Test
    void booleanValue_isUnmappable() {
        assertThat(unmappableReason(sample(ENERGY, Boolean.TRUE)))
                .isEqualTo("value of type Boolean is not numeric: 'true' (status 0x0)");
    }

    @Test
    void nullValue_isUnmappableAndCarriesTheBadStatus() {
        RawSample sample = new RawSample(ENERGY, null, SOURCE_TIME, SERVER_TIME, 0x80310000L);

        MappingOutcome outcome = mapping.map(ServerRole.PRIMARY, sample);

        assertThat(outcome).isInstanceOfSatisfying(MappingOutcome.Unmappable.class, u -> {
            assertThat(u.reason()).isEqualTo("no value (status 0x80310000)");
            assertThat(u.sample()).isSameAs(sample);
            assertThat(u.register()).isEqualTo(mapping.register(ENERGY));
        });
    }

    @Test
    void unknownNode_isNotMapped() {
        MappingOutcome outcome = mapping.map(ServerRole.PRIMARY, sample("ns=0;i=2267", 255));

        assertThat(outcome).isEqualTo(new MappingOutcome.NotMapped("ns=0;i=2267"));
    }

    @Test
    void nodeMappedTwice_cannotBuildAMapping() {
        Register first = mapping.register(ENERGY);
        Register again = new Register(ENERGY, "MTR-002", "1-0:1.8.0", "kWh", BigDecimal.ONE, BigDecimal.ZERO);

        assertThatThrownBy(() -> new Mapping("plant-a", List.of(first, again)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("node ns=2;s=Meter001.Energy is mapped twice");
    }

    @Test
    void nodeIds_keepMappingFileOrder() {
        assertThat(mapping.nodeIds()).containsExactly(ENERGY, POWER);
        assertThat(mapping.size()).isEqualTo(2);
    }

    @Test
    void mappedReading_isRawUntilValidated_andNamesItsRegister() {
        MappingOutcome outcome = mapping.map(ServerRole.PRIMARY, sample(ENERGY, 1));

        assertThat(outcome).isInstanceOfSatisfying(MappingOutcome.Mapped.class, mapped -> {
            assertThat(mapped.register()).isSameAs(mapping.register(ENERGY));
            assertThat(mapped.reading().validation()).isEqualTo(ValidationStatus.RAW);
            assertThat(mapped.reading().flags()).isEmpty();
        });
    }

    @Test
    void reading_carriesMeterAttributesAccumulationTariffAndMedium() {
        MeterAttributes attributes = new MeterAttributes("033807", "5087875888", "Bld 12, apt 7", List.of("bld-12"), null);
        Register register = new Register("ns=2;i=7", "APT-7", "1-0:1.8.2", "kWh", BigDecimal.ONE, BigDecimal.ZERO, attributes,
                Accumulation.REGISTER, "T2", 8, null, UnitConversion.NONE, ValidationRules.defaultsFor(Accumulation.REGISTER));

        Reading reading = ((MappingOutcome.Mapped) new Mapping("plant-a", List.of(register))
                .map(ServerRole.PRIMARY, sample("ns=2;i=7", 42))).reading();

        assertThat(reading.serial()).isEqualTo("033807");
        assertThat(reading.account()).isEqualTo("5087875888");
        assertThat(reading.address()).isEqualTo("Bld 12, apt 7");
        assertThat(reading.groups()).containsExactly("bld-12");
        assertThat(reading.medium()).as("from the quantity code when the meter does not say").isEqualTo(Medium.ELECTRICITY);
        assertThat(reading.accumulation()).isEqualTo(Accumulation.REGISTER);
        assertThat(reading.tariff()).isEqualTo("T2");
    }

    @Test
    void sourceUnit_isConvertedAfterScaleAndOffset() {
        Register register = new Register("ns=2;i=8", "M8", "1-0:1.8.0", "MWh", new BigDecimal("10"), new BigDecimal("5"),
                MeterAttributes.NONE, Accumulation.REGISTER, "T0", null, null, UnitCatalog.conversion("kWh", "MWh"),
                ValidationRules.defaultsFor(Accumulation.REGISTER));

        Reading reading = ((MappingOutcome.Mapped) new Mapping("plant-a", List.of(register))
                .map(ServerRole.PRIMARY, sample("ns=2;i=8", 12345))).reading();

        assertThat(reading.value()).as("(12345 × 10 + 5) kWh").isEqualTo(new BigDecimal("123.455"));
        assertThat(reading.raw()).isEqualTo(new BigDecimal("12345"));
        assertThat(reading.unit()).isEqualTo("MWh");
    }

    @Test
    void firstVersionRegister_getsTheDefaultsOfAFileWithoutTheNewKeys() {
        Register power = mapping.register(POWER);

        assertThat(power.accumulation()).isEqualTo(Accumulation.INSTANTANEOUS);
        assertThat(power.tariff()).isNull();
        assertThat(power.attributes()).isEqualTo(MeterAttributes.NONE);
        assertThat(power.conversion()).isEqualTo(UnitConversion.NONE);
        assertThat(power.validation()).isEqualTo(ValidationRules.defaultsFor(Accumulation.INSTANTANEOUS));
        assertThat(power.validation().frozenCount()).isZero();
        assertThat(mapping.register(ENERGY).validation().frozenCount()).isEqualTo(ValidationRules.DEFAULT_FROZEN_COUNT);
    }

    private Reading mapped(ServerRole server, RawSample sample) {
        MappingOutcome outcome = mapping.map(server, sample);
        assertThat(outcome).isInstanceOf(MappingOutcome.Mapped.class);
        return ((MappingOutcome.Mapped) outcome).reading();
    }

    private String unmappableReason(RawSample sample) {
        MappingOutcome outcome = mapping.map(ServerRole.PRIMARY, sample);
        assertThat(outcome).isInstanceOf(MappingOutcome.Unmappable.class);
        return ((MappingOutcome.Unmappable) outcome).reason();
    }

    private static RawSample sample(String nodeId, Object value) {
        return new RawSample(nodeId, value, SOURCE_TIME, SERVER_TIME, 0);
    }

    /** Stands in for Milo's UInteger/ULong: a Number subclass whose toString is its decimal value. */
    private static final class UnsignedLike extends Number {
        private final BigInteger value;

        UnsignedLike(String value) {
            this.value = new BigInteger(value);
        }

        @Override public int intValue() { return value.intValue(); }
        @Override public long longValue() { return value.longValue(); }
        @Override public float floatValue() { return value.floatValue(); }
        @Override public double doubleValue() { return value.doubleValue(); }
        @Override public String toString() { return value.toString(); }
    }
}
