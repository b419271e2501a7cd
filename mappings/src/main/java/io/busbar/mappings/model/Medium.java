package io.busbar.mappings.model;

import java.util.Locale;

/** What a meter measures the flow of. Wire and mapping-file names are the lower-case kebab forms. */
public enum Medium {
    ELECTRICITY,
    HEAT,
    GAS,
    WATER_COLD,
    WATER_HOT,
    OTHER;

    /** {@code water-cold}, as written in mapping files and readings. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** @throws IllegalArgumentException for a name that is not one of ours */
    public static Medium fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /**
     * The medium an OBIS-like code names in its value group A: 1 electricity, 4–6 heat (4 is a heat
     * cost allocator), 7 gas, 8 cold water, 9 hot water; null for anything else (0 abstract, 15 other, …).
     */
    public static Medium ofQuantity(String quantity) {
        // every medium has a one-digit group A; read per reading, so no substring
        if (quantity == null || quantity.length() < 2 || quantity.charAt(1) != '-') {
            return null;
        }
        return switch (quantity.charAt(0)) {
            case '1' -> ELECTRICITY;
            case '4', '5', '6' -> HEAT;
            case '7' -> GAS;
            case '8' -> WATER_COLD;
            case '9' -> WATER_HOT;
            default -> null;
        };
    }
}
