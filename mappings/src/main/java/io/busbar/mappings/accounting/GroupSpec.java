package io.busbar.mappings.accounting;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A group of consumers: a floor, an entrance, a building, a substation, a district.
 *
 * @param id        unique among the groups and different from every meter id of the mapping
 * @param members   meter ids or ids of other groups (nested); a group never contains itself
 * @param parents   per quantity, the meter that measures the whole group (a building's common meter),
 *                  compared with the sum of the members for the balance; empty when there is none
 * @param tolerance how far parent and sum may differ before it is an imbalance
 * @param limits    allowed and maximum consumption per interval
 */
public record GroupSpec(String id, List<String> members, Map<String, String> parents, Tolerance tolerance, List<Limit> limits) {

    public GroupSpec {
        Objects.requireNonNull(id, "id");
        members = List.copyOf(members);
        parents = Map.copyOf(parents);
        tolerance = tolerance == null ? Tolerance.DEFAULT : tolerance;
        limits = limits == null ? List.of() : List.copyOf(limits);
    }
}
