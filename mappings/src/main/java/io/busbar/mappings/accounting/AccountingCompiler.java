package io.busbar.mappings.accounting;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.mappings.model.Accumulation;
import io.busbar.mappings.model.Register;
import io.busbar.mappings.yaml.LocatedDocument;
import io.busbar.mappings.yaml.Problem;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code accounting:} block of a mapping file → {@link AccountingSpec}, with the checks the
 * schema cannot make: a time zone that exists, members and parent meters that exist (meters of the
 * same file, or groups), no group inside itself, a parent meter that has the register it is the
 * parent for, members whose register has the parent's unit, limits over computed intervals.
 * Values of the wrong shape are skipped: the schema reported them.
 */
public final class AccountingCompiler {

    private static final String POINTER = "/accounting";

    private AccountingCompiler() {
    }

    /**
     * @param registers the file's registers (meters written out and expanded)
     * @param partial   some meters wait for the server's address space: a member not found may be one of them
     */
    public static AccountingSpec compile(LocatedDocument document, List<Register> registers, boolean partial, List<Problem> problems) {
        JsonNode block = document.at(POINTER);
        if (!block.isObject()) {
            return AccountingSpec.NONE;
        }
        Map<String, Map<String, String>> unitsByMeter = new HashMap<>();
        for (Register register : registers) {
            if (register.accumulation() == Accumulation.REGISTER) {
                unitsByMeter.computeIfAbsent(register.meter(), m -> new HashMap<>()).put(register.quantity(), String.valueOf(register.unit()));
            } else {
                unitsByMeter.computeIfAbsent(register.meter(), m -> new HashMap<>());
            }
        }
        ZoneId zone = null;
        String zoneName = text(block.path("time-zone"));
        if (zoneName != null) {
            try {
                zone = ZoneId.of(zoneName);
            } catch (DateTimeException e) {
                problems.add(document.problemAt(POINTER + "/time-zone", "unknown time zone '" + zoneName + "' (an IANA name such as Europe/Minsk)"));
            }
        }
        List<IntervalLength> intervals = new ArrayList<>();
        JsonNode list = block.path("intervals");
        for (int i = 0; list.isArray() && i < list.size(); i++) {
            try {
                intervals.add(IntervalLength.fromWireName(list.get(i).asText()));
            } catch (IllegalArgumentException e) {
                // the schema lists the allowed values
            }
        }
        EstimationMethod estimation = method(block.path("estimation"));
        Map<String, EstimationMethod> perMeter = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = block.path("meter-estimation").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!unitsByMeter.containsKey(entry.getKey()) && !partial) {
                problems.add(document.problemAt(POINTER + "/meter-estimation" + LocatedDocument.pointerSegment(entry.getKey()),
                        "no meter '" + entry.getKey() + "' in this mapping file"));
            }
            EstimationMethod method = method(entry.getValue());
            if (method != null) {
                perMeter.put(entry.getKey(), method);
            }
        }

        JsonNode groupList = block.path("groups");
        Map<String, String> groupPointers = new LinkedHashMap<>();
        for (int g = 0; groupList.isArray() && g < groupList.size(); g++) {
            String id = text(groupList.get(g).path("id"));
            String pointer = POINTER + "/groups/" + g;
            if (id == null) {
                continue;
            }
            if (groupPointers.containsKey(id)) {
                problems.add(document.problemAt(pointer + "/id", "group '" + id + "' is defined twice (first at line "
                        + document.positionOf(groupPointers.get(id)).line() + ")"));
            } else if (unitsByMeter.containsKey(id)) {
                problems.add(document.problemAt(pointer + "/id", "group id '" + id + "' is also a meter id; members could not tell them apart"));
            } else {
                groupPointers.put(id, pointer);
            }
        }
        List<GroupSpec> groups = new ArrayList<>();
        for (int g = 0; groupList.isArray() && g < groupList.size(); g++) {
            GroupSpec group = group(document, POINTER + "/groups/" + g, groupPointers.keySet(), unitsByMeter, partial,
                    intervals.isEmpty() ? AccountingSpec.DEFAULT_INTERVALS : intervals, problems);
            if (group != null) {
                groups.add(group);
            }
        }
        AccountingSpec spec = new AccountingSpec(zone, intervals, estimation, perMeter, groups);
        checkCycles(document, spec, groupPointers, problems);
        checkUnits(document, spec, groupPointers, unitsByMeter, problems);
        return spec;
    }

    private static GroupSpec group(LocatedDocument document, String pointer, Set<String> groupIds,
                                   Map<String, Map<String, String>> unitsByMeter, boolean partial, List<IntervalLength> intervals,
                                   List<Problem> problems) {
        JsonNode node = document.at(pointer);
        String id = text(node.path("id"));
        if (id == null) {
            return null;
        }
        List<String> members = new ArrayList<>();
        JsonNode list = node.path("members");
        for (int m = 0; list.isArray() && m < list.size(); m++) {
            String member = text(list.get(m));
            if (member == null) {
                continue;
            }
            String at = pointer + "/members/" + m;
            if (members.contains(member)) {
                problems.add(document.problemAt(at, "member '" + member + "' is listed twice"));
            } else if (member.equals(id)) {
                problems.add(document.problemAt(at, "group '" + id + "' cannot be a member of itself"));
            } else if (!groupIds.contains(member) && !unitsByMeter.containsKey(member) && !partial) {
                problems.add(document.problemAt(at, "no meter or group '" + member + "' in this mapping file"));
            } else {
                members.add(member);
            }
        }
        Map<String, String> parents = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.path("parent").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String meter = text(entry.getValue());
            if (meter == null) {
                continue;
            }
            String at = pointer + "/parent" + LocatedDocument.pointerSegment(entry.getKey());
            Map<String, String> units = unitsByMeter.get(meter);
            if (units == null) {
                if (!partial) {
                    problems.add(document.problemAt(at, "no meter '" + meter + "' in this mapping file"));
                }
            } else if (!units.containsKey(entry.getKey())) {
                problems.add(document.problemAt(at, "meter '" + meter + "' has no register " + entry.getKey()
                        + (units.isEmpty() ? "" : " (it has " + String.join(", ", units.keySet().stream().sorted().toList()) + ")")));
            } else if (members.contains(meter)) {
                problems.add(document.problemAt(at, "meter '" + meter + "' is the group's parent and cannot also be its member"));
            }
            parents.put(entry.getKey(), meter);
        }
        Tolerance tolerance = new Tolerance(
                decimal(node.path("tolerance").path("percent"), Tolerance.DEFAULT_PERCENT),
                decimal(node.path("tolerance").path("absolute"), Tolerance.DEFAULT_ABSOLUTE));
        List<Limit> limits = new ArrayList<>();
        JsonNode limitList = node.path("limits");
        for (int l = 0; limitList.isArray() && l < limitList.size(); l++) {
            JsonNode limit = limitList.get(l);
            String quantity = text(limit.path("quantity"));
            IntervalLength length;
            try {
                length = IntervalLength.fromWireName(limit.path("interval").asText());
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (quantity == null) {
                continue;
            }
            if (!intervals.contains(length)) {
                problems.add(document.problemAt(pointer + "/limits/" + l + "/interval", "interval " + length.wireName()
                        + " is not computed; add it to accounting.intervals"));
            }
            limits.add(new Limit(quantity, length, decimal(limit.path("allowed"), null), decimal(limit.path("maximum"), null)));
        }
        return new GroupSpec(id, members, parents, tolerance, limits);
    }

    /** A group that contains itself through other groups: reported once per cycle, at the member that closes it. */
    private static void checkCycles(LocatedDocument document, AccountingSpec spec, Map<String, String> pointers, List<Problem> problems) {
        Set<String> done = new HashSet<>();
        for (GroupSpec group : spec.groups()) {
            visit(document, spec, group.id(), new ArrayList<>(), done, pointers, problems);
        }
    }

    private static void visit(LocatedDocument document, AccountingSpec spec, String id, List<String> path, Set<String> done,
                              Map<String, String> pointers, List<Problem> problems) {
        if (done.contains(id)) {
            return;
        }
        GroupSpec group = spec.group(id);
        path.add(id);
        for (int m = 0; m < group.members().size(); m++) {
            String member = group.members().get(m);
            if (spec.group(member) == null) {
                continue;
            }
            int at = path.indexOf(member);
            if (at >= 0) {
                List<String> cycle = new ArrayList<>(path.subList(at, path.size()));
                cycle.add(member);
                problems.add(document.problemAt(memberPointer(document, pointers.get(id), member),
                        "groups contain each other: " + String.join(" → ", cycle)));
            } else {
                visit(document, spec, member, path, done, pointers, problems);
            }
        }
        path.remove(path.size() - 1);
        done.add(id);
    }

    private static String memberPointer(LocatedDocument document, String groupPointer, String member) {
        JsonNode members = document.at(groupPointer + "/members");
        for (int m = 0; members.isArray() && m < members.size(); m++) {
            if (member.equals(members.get(m).asText())) {
                return groupPointer + "/members/" + m;
            }
        }
        return groupPointer + "/members";
    }

    /** Every member meter's register of a parent's quantity must count in the parent's unit. */
    private static void checkUnits(LocatedDocument document, AccountingSpec spec, Map<String, String> pointers,
                                   Map<String, Map<String, String>> unitsByMeter, List<Problem> problems) {
        for (GroupSpec group : spec.groups()) {
            group.parents().forEach((quantity, parent) -> {
                String unit = unitsByMeter.getOrDefault(parent, Map.of()).get(quantity);
                if (unit == null) {
                    return;
                }
                for (String meter : spec.meters(group.id())) {
                    String memberUnit = unitsByMeter.getOrDefault(meter, Map.of()).get(quantity);
                    if (memberUnit != null && !memberUnit.equals(unit)) {
                        String direct = group.members().contains(meter) ? meter : directMemberHolding(spec, group, meter);
                        problems.add(document.problemAt(memberPointer(document, pointers.get(group.id()), direct),
                                "meter '" + meter + "' counts " + quantity + " in " + memberUnit + ", the parent meter '" + parent
                                        + "' in " + unit + "; they cannot be compared"));
                    }
                }
            });
        }
    }

    private static String directMemberHolding(AccountingSpec spec, GroupSpec group, String meter) {
        for (String member : group.members()) {
            if (spec.group(member) != null && spec.meters(member).contains(meter)) {
                return member;
            }
        }
        return meter;
    }

    private static EstimationMethod method(JsonNode node) {
        try {
            return node.isTextual() ? EstimationMethod.fromWireName(node.asText()) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }

    private static BigDecimal decimal(JsonNode node, BigDecimal fallback) {
        return node.isNumber() ? node.decimalValue() : fallback;
    }
}
