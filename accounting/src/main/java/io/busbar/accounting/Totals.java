package io.busbar.accounting;

import io.busbar.mappings.accounting.AccountingSpec;
import io.busbar.mappings.accounting.GroupSpec;
import io.busbar.mappings.model.Reading;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Group totals between two moments, per register quantity (one per tariff zone: {@code 1-0:1.8.1}
 * is T1): the members' consumption from the first moment to the second and their register sum at
 * the second. Members are the group's meters, nested groups' included; a parent meter is not one.
 */
final class Totals {

    private Totals() {
    }

    static List<TotalRow> between(AccountingSpec spec, Consumption consumption, Set<SeriesId> registers, Map<SeriesId, Reading> samples,
                                  Instant from, Instant to) {
        List<TotalRow> rows = new ArrayList<>();
        for (GroupSpec group : spec.groups()) {
            List<String> meters = spec.meters(group.id());
            Set<String> quantities = new TreeSet<>();
            registers.stream().filter(s -> meters.contains(s.meter())).forEach(s -> quantities.add(s.quantity()));
            for (String quantity : quantities) {
                BigDecimal registerSum = BigDecimal.ZERO;
                BigDecimal consumed = BigDecimal.ZERO;
                BigDecimal estimated = BigDecimal.ZERO;
                int counted = 0;
                int missing = 0;
                Reading sample = null;
                for (String meter : meters) {
                    SeriesId series = new SeriesId(meter, quantity);
                    if (!registers.contains(series)) {
                        continue;
                    }
                    sample = sample != null ? sample : samples.get(series);
                    BoundaryValue start = consumption.boundary(series, from);
                    BoundaryValue end = consumption.boundary(series, to);
                    counted++;
                    if (start == null || end == null) {
                        missing++;
                        continue;
                    }
                    BigDecimal amount = end.cumulative().subtract(start.cumulative());
                    registerSum = registerSum.add(end.register());
                    consumed = consumed.add(amount);
                    if (start.estimated() || end.estimated()) {
                        estimated = estimated.add(amount);
                    }
                }
                rows.add(new TotalRow(group.id(), quantity, sample == null ? null : sample.tariff(), from, to, counted,
                        BoundaryResolver.strip(registerSum), BoundaryResolver.strip(consumed), sample == null ? null : sample.unit(),
                        BoundaryResolver.strip(estimated), missing));
            }
        }
        return rows;
    }
}
