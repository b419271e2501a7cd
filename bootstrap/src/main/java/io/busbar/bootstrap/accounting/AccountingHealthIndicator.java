package io.busbar.bootstrap.accounting;

import io.busbar.accounting.AccountingEvent;
import io.busbar.accounting.LiveAccounting;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health/accounting}: per accounted pair, the end of the last interval closed, the
 * intervals handed on as estimates and not yet replaced, the groups out of balance in that last
 * interval (the status page lists them), register readings that came too late for the window, and
 * the last billing totals written. An imbalance is a finding about the grid, not about Busbar: the
 * status stays UP.
 */
@Component("accountingHealthIndicator")
class AccountingHealthIndicator implements HealthIndicator {

    private final AccountingService service;

    AccountingHealthIndicator(AccountingService service) {
        this.service = service;
    }

    @Override
    public Health health() {
        if (!service.enabled()) {
            return Health.up().withDetail("enabled", false).build();
        }
        Map<String, Object> pairs = new LinkedHashMap<>();
        for (LiveAccounting.Status status : service.status()) {
            Map<String, Object> pair = new LinkedHashMap<>();
            pair.put("lastIntervalClosed", status.lastClosed() == null ? null : status.lastClosed().toString());
            pair.put("newestReading", status.newestReading() == null ? null : status.newestReading().toString());
            pair.put("estimatedIntervals", status.estimatedIntervals());
            List<Map<String, Object>> groups = new ArrayList<>();
            for (AccountingEvent event : status.outOfBalance()) {
                Map<String, Object> group = new LinkedHashMap<>();
                group.put("group", event.group());
                group.put("quantity", event.quantity());
                group.put("interval", event.length().wireName());
                group.put("start", event.start().toString());
                group.put("end", event.end().toString());
                group.put("parent", event.parent());
                group.put("sum", event.sum());
                group.put("difference", event.difference());
                group.put("percent", event.percent());
                group.put("estimated", event.estimated());
                group.put("unit", event.unit());
                groups.add(group);
            }
            pair.put("groupsOutOfBalance", groups);
            pair.put("lateReadings", status.lateReadings());
            pair.put("keptReadings", status.keptReadings());
            if (service.writesTotals()) {
                pair.put("lastTotals", status.lastTotals() == null ? null : status.lastTotals().toString());
                pair.put("totalsProblem", status.totalsProblem());
            }
            pairs.put(status.pair(), pair);
        }
        return Health.up().withDetail("enabled", true).withDetail("pairs", pairs)
                .withDetail("undecodableMessages", service.undecodable()).build();
    }
}
