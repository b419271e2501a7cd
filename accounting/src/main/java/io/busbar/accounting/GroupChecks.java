package io.busbar.accounting;

import io.busbar.mappings.accounting.AccountingSpec;
import io.busbar.mappings.accounting.GroupSpec;
import io.busbar.mappings.accounting.IntervalLength;
import io.busbar.mappings.accounting.Limit;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The group checks of each interval: balance (a group with a parent meter for a quantity: parent
 * vs the sum of its members, a nested group counting as its own parent meter when it has one, else
 * as the sum of its members) and limits. An interval where some member or the parent has no value
 * (a gap not estimated) is not judged: it would look like an imbalance that is not there.
 *
 * <p>Besides the events raised, each judged interval yields the withdrawals of the conditions that
 * do not hold in it (an imbalance within tolerance, a limit not exceeded): the running accounting
 * sends one only where it handed the event on before, when late data changed the interval.
 */
final class GroupChecks {

    /** An amount and how much of it is estimated. */
    record Share(BigDecimal amount, BigDecimal estimated) {
        Share plus(Share other) {
            return new Share(amount.add(other.amount), estimated.add(other.estimated));
        }
    }

    /**
     * @param raised    the events of the intervals judged
     * @param withdrawn for each judged interval and event type that does not hold in it, its withdrawal
     */
    record Findings(List<AccountingEvent> raised, List<AccountingEvent> withdrawn) {
    }

    private static final Share NOTHING = new Share(BigDecimal.ZERO, BigDecimal.ZERO);

    private final String pair;
    private final AccountingSpec spec;
    private final Consumption consumption;
    private final Set<SeriesId> registers;
    private final Map<SeriesId, String> units;

    /**
     * @param registers every (meter, quantity) that has a register, in the mapping or in the readings:
     *                  a member without one for a quantity counts nothing for it, one with it must have a value
     * @param units     the unit of each series that has readings
     */
    GroupChecks(String pair, AccountingSpec spec, Consumption consumption, Set<SeriesId> registers, Map<SeriesId, String> units) {
        this.pair = pair;
        this.spec = spec;
        this.consumption = consumption;
        this.registers = registers;
        this.units = units;
    }

    Findings events(Instant from, Instant to) {
        List<AccountingEvent> events = new ArrayList<>();
        List<AccountingEvent> withdrawn = new ArrayList<>();
        for (GroupSpec group : spec.groups()) {
            for (Map.Entry<String, String> parent : group.parents().entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
                for (IntervalLength length : spec.intervals()) {
                    for (Instant start : length.startsWithin(from, to, spec.timeZone())) {
                        balance(group, parent.getKey(), parent.getValue(), length, start, events, withdrawn);
                    }
                }
            }
            for (Limit limit : group.limits()) {
                for (Instant start : limit.interval().startsWithin(from, to, spec.timeZone())) {
                    limit(group, limit, start, events, withdrawn);
                }
            }
        }
        return new Findings(events, withdrawn);
    }

    private void balance(GroupSpec group, String quantity, String parentMeter, IntervalLength length, Instant start,
                         List<AccountingEvent> events, List<AccountingEvent> withdrawn) {
        IntervalConsumption parent = consumption.get(new SeriesId(parentMeter, quantity), length, start);
        Share sum = members(group, quantity, length, start, new HashSet<>());
        if (parent == null || sum == null) {
            return;
        }
        BigDecimal difference = parent.consumption().subtract(sum.amount());
        BigDecimal allowed = group.tolerance().allowedDifference(parent.consumption());
        boolean holds = difference.abs().compareTo(allowed) > 0;
        BigDecimal estimated = parent.estimatedPart().add(sum.estimated());
        (holds ? events : withdrawn).add(event(AccountingEvent.Type.IMBALANCE, group, quantity, length, start, parent.end(),
                parent.consumption(), sum.amount(), difference, round(allowed), estimated, units.get(parent.series()), !holds));
    }

    private void limit(GroupSpec group, Limit limit, Instant start, List<AccountingEvent> events, List<AccountingEvent> withdrawn) {
        Share amount = amount(group, limit.quantity(), limit.interval(), start, new HashSet<>());
        if (amount == null) {
            return;
        }
        AccountingEvent.Type type = null;
        BigDecimal threshold = null;
        if (limit.maximum() != null && amount.amount().compareTo(limit.maximum()) > 0) {
            type = AccountingEvent.Type.OVER_MAXIMUM;
            threshold = limit.maximum();
        } else if (limit.allowed() != null && amount.amount().compareTo(limit.allowed()) > 0) {
            type = AccountingEvent.Type.OVER_ALLOWED;
            threshold = limit.allowed();
        }
        Instant end = limit.interval().next(start, spec.timeZone());
        if (type != null) {
            events.add(limitEvent(type, group, limit, start, end, amount, threshold, false));
        }
        // over the maximum is over the allowed too: only what no longer holds is withdrawn
        if (type == null && limit.allowed() != null) {
            withdrawn.add(limitEvent(AccountingEvent.Type.OVER_ALLOWED, group, limit, start, end, amount, limit.allowed(), true));
        }
        if (type != AccountingEvent.Type.OVER_MAXIMUM && limit.maximum() != null) {
            withdrawn.add(limitEvent(AccountingEvent.Type.OVER_MAXIMUM, group, limit, start, end, amount, limit.maximum(), true));
        }
    }

    private AccountingEvent limitEvent(AccountingEvent.Type type, GroupSpec group, Limit limit, Instant start, Instant end,
                                       Share amount, BigDecimal threshold, boolean withdrawal) {
        return event(type, group, limit.quantity(), limit.interval(), start, end, amount.amount(), null,
                amount.amount().subtract(threshold), threshold, amount.estimated(), unitOf(group, limit.quantity()), withdrawal);
    }

    /** What a group consumed: its parent meter's count when it has one for the quantity, else its members' sum. */
    private Share amount(GroupSpec group, String quantity, IntervalLength length, Instant start, Set<String> visiting) {
        String parent = group.parents().get(quantity);
        if (parent != null) {
            IntervalConsumption interval = consumption.get(new SeriesId(parent, quantity), length, start);
            return interval == null ? null : new Share(interval.consumption(), interval.estimatedPart());
        }
        return members(group, quantity, length, start, visiting);
    }

    private Share members(GroupSpec group, String quantity, IntervalLength length, Instant start, Set<String> visiting) {
        if (!visiting.add(group.id())) {
            return null; // a cycle; the mapping file's validation rejects it
        }
        Share sum = NOTHING;
        for (String member : group.members()) {
            GroupSpec nested = spec.group(member);
            Share share;
            if (nested != null) {
                share = amount(nested, quantity, length, start, visiting);
            } else {
                SeriesId series = new SeriesId(member, quantity);
                if (!registers.contains(series)) {
                    continue;
                }
                IntervalConsumption interval = consumption.get(series, length, start);
                share = interval == null ? null : new Share(interval.consumption(), interval.estimatedPart());
            }
            if (share == null) {
                return null;
            }
            sum = sum.plus(share);
        }
        visiting.remove(group.id());
        return sum;
    }

    private String unitOf(GroupSpec group, String quantity) {
        String parent = group.parents().get(quantity);
        if (parent != null && units.containsKey(new SeriesId(parent, quantity))) {
            return units.get(new SeriesId(parent, quantity));
        }
        return spec.meters(group.id()).stream().map(m -> units.get(new SeriesId(m, quantity))).filter(u -> u != null).findFirst()
                .orElse(null);
    }

    private AccountingEvent event(AccountingEvent.Type type, GroupSpec group, String quantity, IntervalLength length, Instant start,
                                  Instant end, BigDecimal parent, BigDecimal sum, BigDecimal difference, BigDecimal threshold,
                                  BigDecimal estimated, String unit, boolean withdrawal) {
        BigDecimal percent = parent.signum() == 0 ? null
                : BoundaryResolver.strip(difference.multiply(BigDecimal.valueOf(100)).divide(parent, 2, RoundingMode.HALF_EVEN));
        String derived = Keys.derivedQuantity(quantity, length);
        String content = parent.toPlainString() + '|' + (sum == null ? "" : sum.toPlainString()) + '|' + estimated.toPlainString();
        String key = withdrawal ? Keys.withdrawal(pair, group.id(), derived, end, type)
                : Keys.event(pair, group.id(), derived, end, type, content);
        return new AccountingEvent(key, type, pair, group.id(), quantity, length, start, end, parent, sum,
                BoundaryResolver.strip(difference), percent, threshold, BoundaryResolver.strip(estimated), unit, withdrawal);
    }

    private static BigDecimal round(BigDecimal value) {
        return BoundaryResolver.strip(value.setScale(BoundaryResolver.SCALE, RoundingMode.HALF_EVEN));
    }
}
