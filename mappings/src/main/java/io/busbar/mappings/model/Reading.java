package io.busbar.mappings.model;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One value of one quantity of one meter at one source time, after mapping. The JSON wire format
 * ({@link ReadingCodec}) uses these component names; later versions add fields, never rename.
 *
 * @param key          deterministic idempotency key, see {@link ReadingKey}
 * @param pair         the source pair name
 * @param server       which server of the pair delivered it
 * @param meter        meter id
 * @param quantity     OBIS-like quantity code, e.g. {@code 1-0:1.8.0}
 * @param value        the physical value, (raw × scale + offset) × unit factor, exact
 * @param unit         unit of {@code value}, e.g. {@code kWh}
 * @param raw          the value the server delivered, before scaling
 * @param sourceTime   when it was measured
 * @param serverTime   when the server saw it (null when the server did not say)
 * @param quality      severity of {@code status}
 * @param status       the OPC UA status code
 * @param validation   validation status; {@code RAW} until validated (never null)
 * @param flags        ids of the validation rules that fired, e.g. {@code rollover} (never null)
 * @param serial       the meter's serial number, or null
 * @param account      the meter's personal account, or null
 * @param address      where the meter is installed, or null
 * @param groups       the meter's groups, e.g. building or feeder (never null)
 * @param medium       electricity, heat, gas, water, or null when unknown
 * @param accumulation register, interval or instantaneous, or null when unknown
 * @param tariff       T0..T9, or null
 */
public record Reading(
        String key,
        String pair,
        ServerRole server,
        String meter,
        String quantity,
        BigDecimal value,
        String unit,
        BigDecimal raw,
        Instant sourceTime,
        Instant serverTime,
        Quality quality,
        long status,
        ValidationStatus validation,
        List<String> flags,
        String serial,
        String account,
        String address,
        List<String> groups,
        Medium medium,
        Accumulation accumulation,
        String tariff) {

    public Reading {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(pair, "pair");
        Objects.requireNonNull(meter, "meter");
        Objects.requireNonNull(quantity, "quantity");
        Objects.requireNonNull(sourceTime, "sourceTime");
        validation = validation == null ? ValidationStatus.RAW : validation;
        flags = flags == null ? List.of() : List.copyOf(flags);
        groups = groups == null ? List.of() : List.copyOf(groups);
    }

    /** A reading of the first wire-format version: not validated, no flags, no meter attributes. */
    public Reading(String key, String pair, ServerRole server, String meter, String quantity, BigDecimal value, String unit,
                   BigDecimal raw, Instant sourceTime, Instant serverTime, Quality quality, long status) {
        this(key, pair, server, meter, quantity, value, unit, raw, sourceTime, serverTime, quality, status,
                ValidationStatus.RAW, List.of(), null, null, null, List.of(), null, null, null);
    }

    /** This reading with another validation status and flags; everything else, the value above all, unchanged. */
    public Reading withValidation(ValidationStatus validation, List<String> flags) {
        return new Reading(key, pair, server, meter, quantity, value, unit, raw, sourceTime, serverTime, quality, status,
                validation, flags, serial, account, address, groups, medium, accumulation, tariff);
    }
}
