package io.busbar.redundancy;

import java.util.Objects;

/**
 * A node in which each server says whether it is the active one, for pairs that do not follow
 * Part 4 (e.g. Power Operation / Citect {@code IsPrimaryActive}, NETx main/backup). Such servers
 * often report a fine ServiceLevel on the standby too; the role node is what tells them apart.
 *
 * @param nodeId      the role node, in parseable form ({@code ns=2;s=IsPrimaryActive})
 * @param activeValue the value, compared as text ignoring case, with which a server says it is the
 *                    active one: {@code true}, {@code 1}, {@code ACTIVE} … Numbers compare by value,
 *                    so {@code 1.0} matches {@code 1}.
 */
public record RoleCriterion(String nodeId, String activeValue) {

    public RoleCriterion {
        HealthCriteria.requireNonBlank(nodeId, "role nodeId");
        Objects.requireNonNull(activeValue, "role activeValue");
        activeValue = activeValue.trim();
        if (activeValue.isEmpty()) {
            throw new IllegalArgumentException("role activeValue must not be blank");
        }
    }
}
