package io.busbar.connectors.opcua.browse;

import java.util.Objects;
import java.util.Set;

/**
 * A variable the {@link AddressSpaceBrowser} found.
 *
 * @param browsePath       browse names from the Objects folder down, joined by {@code /} (see {@link BrowsePaths}),
 *                         e.g. {@code Objects/Meters/Meter001/Energy}
 * @param nodeId           its NodeId in OPC UA text form, e.g. {@code ns=2;s=Meter001.Energy}
 * @param dataType         the name of its data type, e.g. {@code Double}; null when the server did not say
 * @param dataTypeId       the NodeId of its data type in text form, e.g. {@code i=11}; null when unknown
 * @param valueRank        -1 for a scalar, 0 or more for arrays, -2/-3 for "any"; null when unknown
 * @param engineeringUnits the display name of its {@code EngineeringUnits} property (AnalogItemType),
 *                         e.g. {@code kWh}; null when it has none
 * @param description      its Description attribute; null when empty
 */
public record FoundVariable(String browsePath, String nodeId, String dataType, String dataTypeId, Integer valueRank,
                            String engineeringUnits, String description) {

    /** The numeric built-in data types of namespace 0 (Part 6), and Counter (i=289, a UInt32). */
    private static final Set<String> NUMERIC_TYPE_IDS = Set.of(
            "i=2", "i=3", "i=4", "i=5", "i=6", "i=7", "i=8", "i=9", "i=10", "i=11", // SByte .. Double
            "i=26", "i=27", "i=28", // Number, Integer, UInteger
            "i=50", // Decimal
            "i=289"); // Counter

    public FoundVariable {
        Objects.requireNonNull(browsePath, "browsePath");
        Objects.requireNonNull(nodeId, "nodeId");
    }

    /** The browse path of the node it belongs to, e.g. {@code Objects/Meters/Meter001}. */
    public String parentPath() {
        return BrowsePaths.parent(browsePath);
    }

    /** Its own browse name, unescaped, e.g. {@code Energy}. */
    public String name() {
        return BrowsePaths.name(browsePath);
    }

    /** Whether its data type is one of the numeric built-in types (not a vendor subtype of one). */
    public boolean numeric() {
        return dataTypeId != null && NUMERIC_TYPE_IDS.contains(dataTypeId);
    }

    /** Whether it holds one value, not an array; a server that did not say counts as scalar. */
    public boolean scalar() {
        return valueRank == null || valueRank == -1 || valueRank == -2 || valueRank == -3;
    }
}
