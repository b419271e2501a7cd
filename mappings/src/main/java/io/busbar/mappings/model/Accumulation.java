package io.busbar.mappings.model;

import io.busbar.mappings.units.UnitCatalog;
import java.util.Locale;

/**
 * How a register's value relates to time (CIM / ESPI AccumulationKind, simplified):
 * <ul>
 *   <li>{@link #REGISTER}: a counter that only goes up and rolls over at 10^digits (bulk quantity),
 *       e.g. active energy import total;</li>
 *   <li>{@link #INTERVAL}: the amount of one interval (delta data), e.g. a half-hour's energy;</li>
 *   <li>{@link #INSTANTANEOUS}: the value now, e.g. active power.</li>
 * </ul>
 */
public enum Accumulation {
    REGISTER,
    INTERVAL,
    INSTANTANEOUS;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException for a name that is not one of ours */
    public static Accumulation fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /**
     * The accumulation a register has when its mapping does not say. From the OBIS value group D:
     * 8 (time integral, e.g. {@code 1-0:1.8.0}) is a register, 7 (instantaneous value, e.g.
     * {@code 1-0:1.7.0}) is instantaneous. For any other D the unit decides: a unit a meter counts up
     * (energy, volume, mass: {@code kWh}, {@code GJ}, {@code m³}, …) makes a register, anything else
     * (power, flow, an unknown unit) instantaneous, which runs no register checks.
     */
    public static Accumulation defaultFor(String quantity, String unit) {
        String d = obisGroupD(quantity);
        if ("8".equals(d)) {
            return REGISTER;
        }
        if ("7".equals(d)) {
            return INSTANTANEOUS;
        }
        return UnitCatalog.kindOf(unit).filter(UnitCatalog.Kind::cumulative).isPresent() ? REGISTER : INSTANTANEOUS;
    }

    /** D of {@code A-B:C.D.E}, or null when the code has another shape. */
    static String obisGroupD(String quantity) {
        String[] cde = obisCde(quantity);
        return cde == null ? null : cde[1];
    }

    /** E of {@code A-B:C.D.E}, or null when the code has another shape. */
    static String obisGroupE(String quantity) {
        String[] cde = obisCde(quantity);
        return cde == null ? null : cde[2];
    }

    private static String[] obisCde(String quantity) {
        int colon = quantity == null ? -1 : quantity.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String[] parts = quantity.substring(colon + 1).split("\\.", -1);
        return parts.length == 3 ? parts : null;
    }
}
