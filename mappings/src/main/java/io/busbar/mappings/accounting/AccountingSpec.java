package io.busbar.mappings.accounting;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The energy-accounting part of a mapping file: in which time zone and over which intervals
 * consumption is computed, how each meter's gaps are estimated, and the groups.
 *
 * @param timeZone   the wall clock intervals are aligned to
 * @param intervals  the interval lengths to compute, shortest first
 * @param estimation the method for meters not named in {@code meterEstimation}
 * @param meterEstimation per meter id, its own method
 * @param groups     in file order; members refer to meters of the same mapping or to other groups
 */
public record AccountingSpec(ZoneId timeZone, List<IntervalLength> intervals, EstimationMethod estimation,
                             Map<String, EstimationMethod> meterEstimation, List<GroupSpec> groups) {

    public static final ZoneId DEFAULT_TIME_ZONE = ZoneId.of("UTC");
    public static final List<IntervalLength> DEFAULT_INTERVALS = List.of(IntervalLength.MIN15, IntervalLength.DAY, IntervalLength.MONTH);
    public static final EstimationMethod DEFAULT_ESTIMATION = EstimationMethod.LINEAR;
    /** A mapping file without an {@code accounting:} block. */
    public static final AccountingSpec NONE = new AccountingSpec(DEFAULT_TIME_ZONE, DEFAULT_INTERVALS, DEFAULT_ESTIMATION, Map.of(), List.of());

    public AccountingSpec {
        timeZone = timeZone == null ? DEFAULT_TIME_ZONE : timeZone;
        intervals = intervals == null || intervals.isEmpty() ? DEFAULT_INTERVALS
                : List.copyOf(new LinkedHashSet<>(intervals.stream().sorted(Comparator.naturalOrder()).toList()));
        estimation = estimation == null ? DEFAULT_ESTIMATION : estimation;
        meterEstimation = meterEstimation == null ? Map.of() : Map.copyOf(meterEstimation);
        groups = groups == null ? List.of() : List.copyOf(groups);
    }

    public boolean isEmpty() {
        return groups.isEmpty() && meterEstimation.isEmpty();
    }

    public EstimationMethod estimationFor(String meter) {
        return meterEstimation.getOrDefault(meter, estimation);
    }

    /** The shortest interval length computed. */
    public IntervalLength shortest() {
        return intervals.get(0);
    }

    public GroupSpec group(String id) {
        return groups.stream().filter(g -> g.id().equals(id)).findFirst().orElse(null);
    }

    /** The meters a group holds, its nested groups' included, without parent meters; in member order, each once. */
    public List<String> meters(String groupId) {
        Set<String> meters = new LinkedHashSet<>();
        collect(groupId, meters, new LinkedHashSet<>());
        return List.copyOf(meters);
    }

    private void collect(String groupId, Set<String> meters, Set<String> visiting) {
        GroupSpec group = group(groupId);
        if (group == null || !visiting.add(groupId)) {
            return; // a cycle is a validation error; never loop on one
        }
        for (String member : group.members()) {
            if (group(member) != null) {
                collect(member, meters, visiting);
            } else {
                meters.add(member);
            }
        }
    }

    /** The groups a meter is a direct member of, in file order. */
    public List<String> groupsOf(String meter) {
        List<String> ids = new ArrayList<>();
        groups.forEach(g -> {
            if (g.members().contains(meter)) {
                ids.add(g.id());
            }
        });
        return ids;
    }

    /** This spec and another mapping file's of the same pair: groups and meter methods together; time zone, intervals and default from this one. */
    public AccountingSpec merge(AccountingSpec other) {
        Objects.requireNonNull(other, "other");
        if (other.equals(NONE)) {
            return this;
        }
        if (equals(NONE)) {
            return other;
        }
        Map<String, EstimationMethod> methods = new LinkedHashMap<>(meterEstimation);
        methods.putAll(other.meterEstimation);
        List<GroupSpec> all = new ArrayList<>(groups);
        all.addAll(other.groups);
        return new AccountingSpec(timeZone, intervals, estimation, methods, all);
    }
}
