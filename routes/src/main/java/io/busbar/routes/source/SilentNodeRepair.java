package io.busbar.routes.source;

import io.busbar.connectors.opcua.SourceSubscription;
import io.busbar.mappings.Mapping;
import io.busbar.mappings.model.ServerRole;
import io.busbar.redundancy.PairSelector;
import io.busbar.redundancy.RedundancyMode;
import io.busbar.redundancy.Switchover;
import io.busbar.routes.plan.SourcePairPlan;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nodes that go silent on the active server while it answers: in a hot pair their values come from
 * the partner's stream meanwhile, and their monitored items are created again — at once after a
 * switchover for items that delivered nothing while standing by, every half second for a while
 * after it (a server that re-creates its nodes when it becomes active does so late), and with
 * back-off otherwise. Owned by the pair's loop.
 */
final class SilentNodeRepair {

    private static final Logger log = LoggerFactory.getLogger(SilentNodeRepair.class);
    /** After a switchover, the new server's dead items are created again for this long. */
    static final Duration DEAD_ITEM_REVIVAL = Duration.ofSeconds(30);

    private final SourcePairPlan plan;
    private final Clock clock;
    private final PairSelector selector;
    private final NodeLiveness liveness;
    private final Forwarder forwarder;
    private final PairBackfill backfill;
    private final Map<ServerRole, RecentSamples> recent;
    private final Map<ServerRole, PairServer> servers;
    private final Map<ServerRole, SourceSubscription> dataSubscriptions;
    private final PairMeters meters;

    SilentNodeRepair(SourcePairPlan plan, Clock clock, PairSelector selector, NodeLiveness liveness, Forwarder forwarder,
                     PairBackfill backfill, Map<ServerRole, RecentSamples> recent, Map<ServerRole, PairServer> servers,
                     Map<ServerRole, SourceSubscription> dataSubscriptions, PairMeters meters) {
        this.plan = plan;
        this.clock = clock;
        this.selector = selector;
        this.liveness = liveness;
        this.forwarder = forwarder;
        this.backfill = backfill;
        this.recent = recent;
        this.servers = servers;
        this.dataSubscriptions = dataSubscriptions;
        this.meters = meters;
    }

    /** Per meter, the earliest time since which one of its registers has been silent on a server. */
    static Map<String, Instant> metersOf(Mapping mapping, Map<String, Instant> silentNodes) {
        Map<String, Instant> meters = new TreeMap<>();
        if (!silentNodes.isEmpty()) {
            mapping.registers().forEach(register -> {
                Instant since = silentNodes.get(register.nodeId());
                if (since != null) {
                    meters.merge(register.meter(), since, (a, b) -> a.isBefore(b) ? a : b);
                }
            });
        }
        return meters;
    }

    /**
     * Hot mode: nodes the active server has gone silent on while its partner streams them are
     * forwarded from the partner's stream (same keys, so nothing doubles when the active server's
     * values come back), and their items on the active server are created again, with back-off.
     */
    void fillSilentNodes() {
        ServerRole active = backfill.liveFrom();
        if (plan.redundancy().mode() != RedundancyMode.HOT || active == null || backfill.running()
                || !servers.containsKey(active.partner())) {
            return;
        }
        Set<String> silent = liveness.silentOn(active, active.partner(), plan.mapping().nodeIds());
        if (silent.isEmpty()) {
            return;
        }
        try {
            meters.filledFromPartner.increment(
                    forwarder.forward(active.partner(), recent.get(active.partner()).samplesOf(silent)));
        } catch (Forwarder.BufferRefusedException e) {
            backfill.retryLater(active);
            return;
        }
        List<String> due = liveness.dueForRecreate(silent, clock.instant());
        SourceSubscription data = dataSubscriptions.get(active);
        if (!due.isEmpty() && data != null) {
            log.info("Source pair {}: {} node(s) are silent on the active {} server while the {} server streams them"
                    + " (e.g. {}); forwarding the partner's values and creating the items again", plan.name(), due.size(),
                    active.wireName(), active.partner().wireName(), due.get(0));
            data.recreateItems(due);
        }
    }

    /**
     * Hot mode: items of the new active server that delivered nothing alive while it stood by are
     * created again at once — a server that deletes its meter nodes while standby (NETx) leaves them
     * dead otherwise.
     */
    void recreateSilentItems(ServerRole role) {
        if (plan.redundancy().mode() != RedundancyMode.HOT) {
            return;
        }
        Optional<Instant> since = selector.observations(role).connectedSince();
        Duration settle = plan.primary().reportInterval().multipliedBy(3).plusSeconds(1);
        if (since.isEmpty() || since.get().isAfter(clock.instant().minus(settle))) {
            return; // just connected: its items have not had the time to report
        }
        RecentSamples window = recent.get(role);
        Set<String> alive = window.newestGood().keySet();
        List<String> silent = plan.mapping().nodeIds().stream().filter(node -> !alive.contains(node)).toList();
        if (!silent.isEmpty() && !window.complete(clock.instant())) {
            // The window lost batches (ingest behind, or a share of the budget that holds about one
            // publish): absence from it proves nothing. Only the nodes whose newest good value on this
            // server lags the partner's are silent; at 50,000 tags the window's view made every
            // switchover delete and create all 50,000 items again (bench log, 2026-12-04 21:44).
            silent = List.copyOf(liveness.silentOn(role, role.partner(), silent));
        }
        SourceSubscription data = dataSubscriptions.get(role);
        if (!silent.isEmpty() && data != null) {
            log.info("Source pair {}: {} item(s) of the {} server delivered nothing alive while it stood by; creating"
                    + " them again", plan.name(), silent.size(), role.wireName());
            data.recreateItems(silent);
        }
    }

    /**
     * Right after a switchover the new server may still be creating the nodes it deletes while
     * standby: its dead items are created again every half second instead of after the usual
     * back-off, so its readings flow within a second or two of the nodes' return.
     */
    void reviveDeadItemsAfterSwitchover() {
        ServerRole active = backfill.liveFrom();
        Optional<Switchover> last = selector.state().lastSwitchover();
        if (active == null || last.isEmpty() || last.get().at().isBefore(clock.instant().minus(DEAD_ITEM_REVIVAL))) {
            return;
        }
        SourceSubscription data = dataSubscriptions.get(active);
        if (data != null && data.deadItems() > 0) {
            data.recreateItems(data.deadNodeIds());
        }
    }
}
