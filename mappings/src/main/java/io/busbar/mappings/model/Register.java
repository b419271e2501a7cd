package io.busbar.mappings.model;

import io.busbar.mappings.units.UnitConversion;
import io.busbar.mappings.validation.ValidationRules;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.Objects;

/**
 * One mapped OPC UA node: which meter and quantity its values are, how they scale and convert, and
 * how they are validated.
 *
 * <p>value = (raw × scale + offset) × the factor from {@code sourceUnit} to {@code unit}, in exact
 * decimal arithmetic (see {@link UnitConversion} for the one inexact case).
 *
 * @param nodeId       the node id in OPC UA text form
 * @param meter        meter id
 * @param quantity     OBIS-like quantity code
 * @param unit         unit of the delivered value
 * @param scale        K_m: value = raw × scale + offset (before a unit conversion)
 * @param offset       ΔX, in the source unit when there is a conversion, else in {@code unit}
 * @param attributes   the meter's serial, account, address, groups and medium
 * @param accumulation register, interval or instantaneous
 * @param tariff       T0..T9, or null when it has none
 * @param digits       integer digits of the raw register: it rolls over at 10^digits; null when unknown
 * @param deadband     smallest change worth a reading, absolute, in {@code unit}; null for none
 * @param conversion   from the unit the server delivers to {@code unit}; {@link UnitConversion#NONE} for none
 * @param validation   the validation rules in force for this register
 */
public record Register(
        String nodeId,
        String meter,
        String quantity,
        String unit,
        BigDecimal scale,
        BigDecimal offset,
        MeterAttributes attributes,
        Accumulation accumulation,
        String tariff,
        Integer digits,
        BigDecimal deadband,
        UnitConversion conversion,
        ValidationRules validation) {

    public static final BigDecimal DEFAULT_SCALE = BigDecimal.ONE;
    public static final BigDecimal DEFAULT_OFFSET = BigDecimal.ZERO;
    /** Significant digits of {@link #rawDeadband()}, which OPC UA carries as a Double anyway. */
    private static final MathContext DEADBAND_PRECISION = MathContext.DECIMAL64;

    public Register {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(meter, "meter");
        Objects.requireNonNull(quantity, "quantity");
        Objects.requireNonNull(scale, "scale");
        Objects.requireNonNull(offset, "offset");
        Objects.requireNonNull(attributes, "attributes");
        Objects.requireNonNull(accumulation, "accumulation");
        Objects.requireNonNull(conversion, "conversion");
        Objects.requireNonNull(validation, "validation");
    }

    /**
     * A register with only the keys of the first mapping-file version; everything else takes the
     * default a mapping file without those keys gets.
     */
    public Register(String nodeId, String meter, String quantity, String unit, BigDecimal scale, BigDecimal offset) {
        this(nodeId, meter, quantity, unit, scale, offset, MeterAttributes.NONE, Accumulation.defaultFor(quantity, unit));
    }

    private Register(String nodeId, String meter, String quantity, String unit, BigDecimal scale, BigDecimal offset,
                     MeterAttributes attributes, Accumulation accumulation) {
        this(nodeId, meter, quantity, unit, scale, offset, attributes, accumulation, defaultTariff(quantity, accumulation),
                null, null, UnitConversion.NONE, ValidationRules.defaultsFor(accumulation));
    }

    /**
     * The tariff a register has when its mapping does not say: T&lt;E&gt; from the OBIS value group E
     * (0 = total, 1–9 = tariff register) for registers and interval values, none for instantaneous values.
     */
    public static String defaultTariff(String quantity, Accumulation accumulation) {
        String e = Accumulation.obisGroupE(quantity);
        if (accumulation == Accumulation.INSTANTANEOUS || e == null || !e.matches("[0-9]")) {
            return null;
        }
        return "T" + e;
    }

    /** The medium: the meter's when its mapping says, else from the quantity's value group A; may be null. */
    public Medium medium() {
        return attributes.medium() != null ? attributes.medium() : Medium.ofQuantity(quantity);
    }

    /** The unit the server delivers (before conversion), or null when nothing is converted. */
    public String sourceUnit() {
        return conversion.from();
    }

    /** 10^digits, the raw value at which the register rolls over to 0; null when digits are unknown. */
    public BigDecimal modulus() {
        return digits == null ? null : new BigDecimal(BigInteger.TEN.pow(digits));
    }

    /** The delivered value of a raw value: (raw × scale + offset) × unit factor, without trailing zeros or exponent. */
    public BigDecimal value(BigDecimal raw) {
        // most registers are 1:1: skip the arithmetic that would copy the value for nothing
        BigDecimal scaled = scale.compareTo(BigDecimal.ONE) == 0 ? raw : raw.multiply(scale);
        BigDecimal shifted = offset.signum() == 0 ? scaled : scaled.add(offset);
        return Decimals.normalized(conversion.apply(shifted));
    }

    /** Same as {@link #value(BigDecimal)}; the name of the first version. */
    public BigDecimal scale(BigDecimal raw) {
        return value(raw);
    }

    /**
     * The deadband in the unit of the raw value, for an OPC UA absolute DataChangeFilter:
     * deadband / (|scale| × unit factor). Null when the register has none.
     */
    public BigDecimal rawDeadband() {
        if (deadband == null) {
            return null;
        }
        BigDecimal perRaw = conversion.apply(scale.abs());
        if (perRaw.signum() == 0) {
            return null;
        }
        return deadband.divide(perRaw, DEADBAND_PRECISION).stripTrailingZeros();
    }
}
