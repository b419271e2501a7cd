package io.busbar.mappings.model;

import java.util.Objects;

/**
 * One node of a server's address space, as the source side found it by browsing.
 *
 * @param browsePath the browse names from the Objects folder down, joined by {@code /}, e.g.
 *                   {@code Objects/Meters/M0001/Energy}; namespace indexes are left out, and a
 *                   {@code /} or {@code \} inside a name is written {@code \/} or {@code \\}
 * @param nodeId     its NodeId in OPC UA text form, e.g. {@code ns=2;s=Meters.M0001.Energy}
 */
public record BrowsedNode(String browsePath, String nodeId) {

    public BrowsedNode {
        Objects.requireNonNull(browsePath, "browsePath");
        Objects.requireNonNull(nodeId, "nodeId");
    }
}
