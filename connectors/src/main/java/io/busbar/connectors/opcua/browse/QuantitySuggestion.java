package io.busbar.connectors.opcua.browse;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A guess of a variable's OBIS-like quantity code and unit from its browse name and engineering
 * units, for a mapping skeleton a person then checks. The engineering units, when the server has
 * them, decide over the name.
 *
 * @param quantity the suggested code, {@link #PLACEHOLDER} when nothing matched
 * @param unit     the unit to deliver: the engineering units when the server has them, else the
 *                 usual unit of the quantity, else {@link #UNKNOWN_UNIT}
 * @param known    whether the quantity was recognised (not the placeholder)
 * @param unitFromServer whether the unit is the server's engineering units
 */
public record QuantitySuggestion(String quantity, String unit, boolean known, boolean unitFromServer) {

    /** The code of a variable nothing matched: "manufacturer specific". */
    public static final String PLACEHOLDER = "0-0:96.1.0";
    public static final String UNKNOWN_UNIT = "unknown";
    /** The longest unit a mapping file accepts. */
    static final int MAX_UNIT_LENGTH = 32;

    /** What can be recognised, with the usual unit. */
    enum Kind {
        ACTIVE_ENERGY("1-0:1.8.0", "kWh"),
        REACTIVE_ENERGY("1-0:3.8.0", "kvarh"),
        ACTIVE_POWER("1-0:1.7.0", "kW"),
        REACTIVE_POWER("1-0:3.7.0", "kvar"),
        VOLTAGE("1-0:32.7.0", "V"),
        CURRENT("1-0:31.7.0", "A"),
        FREQUENCY("1-0:14.7.0", "Hz"),
        HEAT("6-0:1.0.0", "Gcal"),
        VOLUME("8-0:1.0.0", "m3");

        final String code;
        final String unit;

        Kind(String code, String unit) {
            this.code = code;
            this.unit = unit;
        }
    }

    private static final Map<String, Kind> UNITS = Map.ofEntries(
            Map.entry("wh", Kind.ACTIVE_ENERGY), Map.entry("kwh", Kind.ACTIVE_ENERGY),
            Map.entry("mwh", Kind.ACTIVE_ENERGY), Map.entry("gwh", Kind.ACTIVE_ENERGY),
            Map.entry("varh", Kind.REACTIVE_ENERGY), Map.entry("kvarh", Kind.REACTIVE_ENERGY),
            Map.entry("mvarh", Kind.REACTIVE_ENERGY),
            Map.entry("w", Kind.ACTIVE_POWER), Map.entry("kw", Kind.ACTIVE_POWER), Map.entry("mw", Kind.ACTIVE_POWER),
            Map.entry("var", Kind.REACTIVE_POWER), Map.entry("kvar", Kind.REACTIVE_POWER),
            Map.entry("mvar", Kind.REACTIVE_POWER),
            Map.entry("v", Kind.VOLTAGE), Map.entry("kv", Kind.VOLTAGE),
            Map.entry("a", Kind.CURRENT), Map.entry("ka", Kind.CURRENT),
            Map.entry("hz", Kind.FREQUENCY),
            Map.entry("gcal", Kind.HEAT), Map.entry("mcal", Kind.HEAT), Map.entry("gj", Kind.HEAT),
            Map.entry("m3", Kind.VOLUME), Map.entry("m³", Kind.VOLUME), Map.entry("l", Kind.VOLUME));

    /** L1, L2, L3 as a word or after a lower-case letter: Voltage_L1, VoltageL2, l3_current. */
    private static final Pattern PHASE = Pattern.compile("(?:(?<![A-Za-z])[Ll]|(?<![A-Z])L)([123])(?![0-9])");

    /**
     * @param name             the variable's browse name, e.g. {@code ActiveEnergy} or {@code Voltage_L2}
     * @param engineeringUnits its engineering units, null when the server has none
     */
    public static QuantitySuggestion suggest(String name, String engineeringUnits) {
        String unit = cleanUnit(engineeringUnits);
        Kind kind = unit == null ? null : UNITS.get(unit.toLowerCase(Locale.ROOT));
        if (kind == null) {
            kind = byName(name);
        }
        if (kind == null) {
            return new QuantitySuggestion(PLACEHOLDER, unit != null ? unit : UNKNOWN_UNIT, false, unit != null);
        }
        return new QuantitySuggestion(withPhase(kind, name), unit != null ? unit : kind.unit, true, unit != null);
    }

    static Kind byName(String name) {
        String n = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        if (n.contains("reactive") && n.contains("energy") || n.endsWith("varh")) {
            return Kind.REACTIVE_ENERGY;
        }
        if (n.contains("reactive") && n.contains("power") || n.endsWith("kvar")) {
            return Kind.REACTIVE_POWER;
        }
        if (n.contains("heat") || n.contains("gcal")) {
            return Kind.HEAT;
        }
        if (n.contains("energy") || n.endsWith("kwh")) {
            return Kind.ACTIVE_ENERGY;
        }
        if (n.contains("power") && !n.contains("factor") || n.endsWith("kw")) {
            return Kind.ACTIVE_POWER;
        }
        if (n.contains("voltage")) {
            return Kind.VOLTAGE;
        }
        if (n.contains("current")) {
            return Kind.CURRENT;
        }
        if (n.contains("frequency")) {
            return Kind.FREQUENCY;
        }
        if (n.contains("volume") || n.endsWith("m3")) {
            return Kind.VOLUME;
        }
        return null;
    }

    /**
     * Per-phase codes of voltage (L1 32, L2 52, L3 72), current (31, 51, 71) and active power
     * (21, 41, 61; the total is 1).
     */
    private static String withPhase(Kind kind, String name) {
        Matcher phase = PHASE.matcher(name);
        if (!phase.find() || !(kind == Kind.VOLTAGE || kind == Kind.CURRENT || kind == Kind.ACTIVE_POWER)) {
            return kind.code;
        }
        int l = Integer.parseInt(phase.group(1));
        int base = switch (kind) {
            case VOLTAGE -> 12;
            case CURRENT -> 11;
            default -> 1;
        };
        return "1-0:" + (base + 20 * l) + ".7.0";
    }

    /** Trimmed, whitespace collapsed, at most 32 characters; null when blank. */
    static String cleanUnit(String unit) {
        if (unit == null || unit.isBlank()) {
            return null;
        }
        String clean = unit.strip().replaceAll("\\s+", " ");
        return clean.length() > MAX_UNIT_LENGTH ? clean.substring(0, MAX_UNIT_LENGTH) : clean;
    }
}
