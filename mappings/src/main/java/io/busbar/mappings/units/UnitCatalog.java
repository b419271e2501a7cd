package io.busbar.mappings.units;

import static tech.units.indriya.unit.Units.CUBIC_METRE;
import static tech.units.indriya.unit.Units.HOUR;
import static tech.units.indriya.unit.Units.JOULE;
import static tech.units.indriya.unit.Units.KILOGRAM;
import static tech.units.indriya.unit.Units.LITRE;
import static tech.units.indriya.unit.Units.SECOND;
import static tech.units.indriya.unit.Units.WATT;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.measure.IncommensurableException;
import javax.measure.MetricPrefix;
import javax.measure.Unit;
import javax.measure.UnitConverter;
import tech.units.indriya.function.RationalNumber;
import tech.units.indriya.unit.BaseUnit;
import tech.units.indriya.unit.UnitDimension;

/**
 * The units a mapping file can convert between, defined as JSR 385 (Indriya) units built from exact
 * integer ratios, so that every conversion factor comes out of Indriya as an exact rational number:
 * 1 Wh = 3600 J, 1 cal (IT) = 4.1868 J, 1 l = 1/1000 m³.
 *
 * <p>Reactive (var) and apparent (VA) power are dimensionally watts; they get dimensions of their own
 * here so that a mapping cannot silently turn kvarh into kWh.
 *
 * <p>A {@code unit} without a {@code source-unit} may still be any text (nothing is converted); only
 * the two ends of a conversion must be listed here.
 */
public final class UnitCatalog {

    /** What a unit measures; two units convert into each other only within one kind. */
    public enum Kind {
        ENERGY("energy", true),
        POWER("power", false),
        REACTIVE_ENERGY("reactive energy", true),
        REACTIVE_POWER("reactive power", false),
        APPARENT_ENERGY("apparent energy", true),
        APPARENT_POWER("apparent power", false),
        VOLUME("volume", true),
        VOLUME_FLOW("volume flow", false),
        MASS("mass", true),
        MASS_FLOW("mass flow", false);

        private final String label;
        private final boolean cumulative;

        Kind(String label, boolean cumulative) {
            this.label = label;
            this.cumulative = cumulative;
        }

        /** Plain words for messages, e.g. {@code reactive energy}. */
        public String label() {
            return label;
        }

        /** Whether a meter typically counts it up (energy, volume, mass) rather than measuring it now (power, flow). */
        public boolean cumulative() {
            return cumulative;
        }
    }

    private record Entry(String symbol, Kind kind, Unit<?> unit) {
    }

    private static final Map<String, Entry> BY_SYMBOL = new LinkedHashMap<>();

    static {
        Unit<?> wattHour = JOULE.multiply(3600);
        // the International Table calorie, 4.1868 J exactly; the Gcal of district heating
        Unit<?> calorie = JOULE.multiply(RationalNumber.of(41868, 10000));
        Unit<?> gigacalorie = MetricPrefix.GIGA(calorie);
        Unit<?> var = new BaseUnit<>("var", UnitDimension.parse('Q'));
        Unit<?> voltAmpere = new BaseUnit<>("VA", UnitDimension.parse('S'));
        Unit<?> varHour = var.multiply(HOUR);
        Unit<?> voltAmpereHour = voltAmpere.multiply(HOUR);
        Unit<?> tonne = KILOGRAM.multiply(1000);

        add(Kind.ENERGY, wattHour, "Wh");
        add(Kind.ENERGY, MetricPrefix.KILO(wattHour), "kWh");
        add(Kind.ENERGY, MetricPrefix.MEGA(wattHour), "MWh");
        add(Kind.ENERGY, MetricPrefix.GIGA(wattHour), "GWh");
        add(Kind.ENERGY, JOULE, "J");
        add(Kind.ENERGY, MetricPrefix.KILO(JOULE), "kJ");
        add(Kind.ENERGY, MetricPrefix.MEGA(JOULE), "MJ");
        add(Kind.ENERGY, MetricPrefix.GIGA(JOULE), "GJ");
        add(Kind.ENERGY, MetricPrefix.TERA(JOULE), "TJ");
        add(Kind.ENERGY, MetricPrefix.KILO(calorie), "kcal");
        add(Kind.ENERGY, MetricPrefix.MEGA(calorie), "Mcal");
        add(Kind.ENERGY, gigacalorie, "Gcal");

        add(Kind.POWER, WATT, "W");
        add(Kind.POWER, MetricPrefix.KILO(WATT), "kW");
        add(Kind.POWER, MetricPrefix.MEGA(WATT), "MW");
        add(Kind.POWER, MetricPrefix.GIGA(WATT), "GW");
        add(Kind.POWER, MetricPrefix.KILO(calorie).divide(HOUR), "kcal/h");
        add(Kind.POWER, MetricPrefix.MEGA(calorie).divide(HOUR), "Mcal/h");
        add(Kind.POWER, gigacalorie.divide(HOUR), "Gcal/h");

        add(Kind.REACTIVE_ENERGY, varHour, "varh");
        add(Kind.REACTIVE_ENERGY, MetricPrefix.KILO(varHour), "kvarh");
        add(Kind.REACTIVE_ENERGY, MetricPrefix.MEGA(varHour), "Mvarh");
        add(Kind.REACTIVE_POWER, var, "var");
        add(Kind.REACTIVE_POWER, MetricPrefix.KILO(var), "kvar");
        add(Kind.REACTIVE_POWER, MetricPrefix.MEGA(var), "Mvar");

        add(Kind.APPARENT_ENERGY, voltAmpereHour, "VAh");
        add(Kind.APPARENT_ENERGY, MetricPrefix.KILO(voltAmpereHour), "kVAh");
        add(Kind.APPARENT_ENERGY, MetricPrefix.MEGA(voltAmpereHour), "MVAh");
        add(Kind.APPARENT_POWER, voltAmpere, "VA");
        add(Kind.APPARENT_POWER, MetricPrefix.KILO(voltAmpere), "kVA");
        add(Kind.APPARENT_POWER, MetricPrefix.MEGA(voltAmpere), "MVA");

        add(Kind.VOLUME, CUBIC_METRE, "m³", "m3");
        add(Kind.VOLUME, LITRE, "l", "L");
        add(Kind.VOLUME_FLOW, CUBIC_METRE.divide(HOUR), "m³/h", "m3/h");
        add(Kind.VOLUME_FLOW, CUBIC_METRE.divide(SECOND), "m³/s", "m3/s");
        add(Kind.VOLUME_FLOW, LITRE.divide(HOUR), "l/h", "L/h");
        add(Kind.VOLUME_FLOW, LITRE.divide(SECOND), "l/s", "L/s");

        add(Kind.MASS, KILOGRAM, "kg");
        add(Kind.MASS, tonne, "t");
        add(Kind.MASS_FLOW, KILOGRAM.divide(HOUR), "kg/h");
        add(Kind.MASS_FLOW, tonne.divide(HOUR), "t/h");
    }

    private UnitCatalog() {
    }

    private static void add(Kind kind, Unit<?> unit, String... symbols) {
        for (String symbol : symbols) {
            BY_SYMBOL.put(symbol, new Entry(symbol, kind, unit));
        }
    }

    /** Every symbol a conversion accepts, in catalogue order (aliases such as {@code m3} included). */
    public static List<String> symbols() {
        return Collections.unmodifiableList(new ArrayList<>(BY_SYMBOL.keySet()));
    }

    public static boolean isKnown(String symbol) {
        return BY_SYMBOL.containsKey(symbol);
    }

    public static Optional<Kind> kindOf(String symbol) {
        Entry entry = BY_SYMBOL.get(symbol);
        return entry == null ? Optional.empty() : Optional.of(entry.kind());
    }

    /** The JSR 385 unit behind a symbol, for callers that want to use Indriya themselves. */
    public static Optional<Unit<?>> unitOf(String symbol) {
        Entry entry = BY_SYMBOL.get(symbol);
        return entry == null ? Optional.empty() : Optional.of(entry.unit());
    }

    /**
     * The conversion from one unit to another with its exact factor.
     *
     * @throws IllegalArgumentException with a message fit for a mapping-file problem when a unit is
     *                                  unknown or the two measure different things
     */
    public static UnitConversion conversion(String from, String to) {
        Entry source = entry(from);
        Entry target = entry(to);
        if (source.kind() != target.kind()) {
            throw new IllegalArgumentException("cannot convert " + source.kind().label() + " (" + from + ") to "
                    + target.kind().label() + " (" + to + ")");
        }
        return new UnitConversion(from, to, exactFactor(source.unit(), target.unit()));
    }

    /** Message for a symbol this catalogue does not know, with a suggestion when only the letter case is off. */
    public static String unknownUnitMessage(String symbol) {
        String suggestion = null;
        for (String known : BY_SYMBOL.keySet()) {
            if (known.toLowerCase(Locale.ROOT).equals(symbol.toLowerCase(Locale.ROOT))) {
                suggestion = known;
                break;
            }
        }
        return suggestion != null
                ? "unknown unit '" + symbol + "' (did you mean '" + suggestion + "'?)"
                : "unknown unit '" + symbol + "'; units that convert: " + String.join(", ", BY_SYMBOL.keySet());
    }

    private static Entry entry(String symbol) {
        Entry entry = BY_SYMBOL.get(symbol);
        if (entry == null) {
            throw new IllegalArgumentException(unknownUnitMessage(symbol));
        }
        return entry;
    }

    /**
     * Indriya keeps the factors of units built from integers and rationals exact and, converting the
     * rational 1, answers a {@link RationalNumber} (or an integer type); a double would mean a unit
     * above was defined with a binary fraction, which is a bug here, not a user error.
     */
    static Rational exactFactor(Unit<?> from, Unit<?> to) {
        UnitConverter converter;
        try {
            converter = from.getConverterToAny(to);
        } catch (IncommensurableException e) {
            throw new IllegalArgumentException("cannot convert " + from + " to " + to, e);
        }
        if (!converter.isLinear()) {
            throw new IllegalStateException("conversion " + from + " → " + to + " is not a pure factor");
        }
        Number factor = converter.convert(RationalNumber.ONE);
        if (factor instanceof RationalNumber rational) {
            return new Rational(rational.getDividend(), rational.getDivisor());
        }
        if (factor instanceof BigInteger integer) {
            return new Rational(integer, BigInteger.ONE);
        }
        if (factor instanceof Long || factor instanceof Integer) {
            return new Rational(BigInteger.valueOf(factor.longValue()), BigInteger.ONE);
        }
        if (factor instanceof BigDecimal decimal) {
            return Rational.of(decimal);
        }
        throw new IllegalStateException("Indriya gave an inexact factor " + factor + " (" + factor.getClass().getSimpleName()
                + ") for " + from + " → " + to);
    }
}
