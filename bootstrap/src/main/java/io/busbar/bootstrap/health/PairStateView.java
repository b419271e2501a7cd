package io.busbar.bootstrap.health;

import io.busbar.mappings.model.ServerRole;
import io.busbar.redundancy.PairState;
import io.busbar.redundancy.PairStatus;
import io.busbar.redundancy.ServerHealth;
import io.busbar.redundancy.Switchover;
import io.busbar.routes.source.BackfillReport;
import io.busbar.routes.source.Hole;
import io.busbar.routes.source.SourcePairRuntime;
import io.busbar.routes.source.WaitingPair;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A source pair's redundancy state as the health and redundancy endpoints show it (JSON-ready maps). */
final class PairStateView {

    static final int SILENT_METERS_LISTED = 10;

    private PairStateView() {
    }

    static Map<String, Object> of(SourcePairRuntime runtime) {
        PairState state = runtime.state();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("status", state.status().name());
        view.put("active", role(state.active()));
        view.put("mode", lower(state.mode().name()));
        view.put("forced", lower(state.forced().name()));
        Map<String, Object> servers = new LinkedHashMap<>();
        servers.put("primary", server(state.primary()));
        servers.put("secondary", server(state.secondary()));
        for (ServerRole role : ServerRole.values()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> server = (Map<String, Object>) servers.get(role.wireName());
            server.put("nodesWithoutHistory", withoutHistory(runtime.nodesWithoutHistory(role)));
            server.put("silentMeters", silentMeters(runtime.silentMeters(role)));
        }
        view.put("servers", servers);
        view.put("switchovers", state.switchovers());
        state.lastSwitchover().ifPresent(s -> view.put("lastSwitchover", switchover(s)));
        runtime.lastBackfill().ifPresent(b -> view.put("lastBackfill", backfill(b)));
        view.put("completeness", completeness(runtime));
        return view;
    }

    /** Meters a server answering otherwise gets no value of: how many, and the first ten longest silent. */
    private static Map<String, Object> silentMeters(Map<String, java.time.Instant> silent) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("count", silent.size());
        view.put("first", silent.entrySet().stream().sorted(Map.Entry.comparingByValue()).limit(SILENT_METERS_LISTED)
                .map(entry -> Map.of("meter", entry.getKey(), "since", entry.getValue().toString())).toList());
        return view;
    }

    /** What an operator needs to see that nothing was lost, or exactly what was. */
    private static Map<String, Object> completeness(SourcePairRuntime runtime) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("backfilling", runtime.backfilling());
        view.put("unfilledSeconds", runtime.unfilledSeconds());
        // not lost (read back from history), but the sign that ingest cannot keep up with the servers
        view.put("droppedSamples", runtime.droppedSamples());
        view.put("holes", runtime.holes().stream().map(PairStateView::hole).toList());
        return view;
    }

    private static Map<String, Object> hole(Hole hole) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("from", hole.from().toString());
        view.put("to", hole.to().toString());
        view.put("seconds", hole.length().toMillis() / 1000.0);
        view.put("nodes", hole.nodes());
        view.put("server", hole.server());
        view.put("reason", hole.reason());
        return view;
    }

    /** A pair that does not run yet: DOWN, with what it waits for and why. */
    static Map<String, Object> of(WaitingPair pair) {
        Map<String, Object> waiting = new LinkedHashMap<>();
        waiting.put("for", "a server to browse, to resolve the mapping's browse templates");
        waiting.put("reason", pair.reason());
        waiting.put("since", pair.since().toString());
        waiting.put("attempts", pair.attempts());
        waiting.put("nextAttemptAt", pair.nextAttemptAt().toString());
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("status", PairStatus.DOWN.name());
        view.put("active", "none");
        view.put("waiting", waiting);
        return view;
    }

    /** The count and the first few ids: a server may refuse history for thousands of nodes. */
    private static Map<String, Object> withoutHistory(Map<String, Long> nodes) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("count", nodes.size());
        view.put("first", nodes.keySet().stream().limit(5).toList());
        return view;
    }

    private static Map<String, Object> server(ServerHealth health) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("configured", health.configured());
        view.put("connected", health.connected());
        view.put("serviceLevel", health.serviceLevel().isPresent() ? health.serviceLevel().getAsInt() : null);
        view.put("lastValueAt", health.lastValueAt().map(Object::toString).orElse(null));
        view.put("healthy", health.healthy());
        view.put("reason", health.reason());
        view.put("newestSourceTime", health.newestSourceTime().map(Object::toString).orElse(null));
        view.put("stale", health.stale());
        view.put("deadItems", health.deadItems());
        view.put("items", health.items());
        return view;
    }

    private static Map<String, Object> switchover(Switchover switchover) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("at", switchover.at().toString());
        view.put("from", role(switchover.from()));
        view.put("to", role(switchover.to()));
        view.put("reason", switchover.reason());
        return view;
    }

    private static Map<String, Object> backfill(BackfillReport report) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("server", report.server());
        view.put("from", report.from().toString());
        view.put("to", report.to().toString());
        view.put("readings", report.readings());
        view.put("truncated", report.truncated());
        view.put("unfilledSeconds", report.unfilled().toMillis() / 1000.0);
        view.put("problem", report.problem().orElse(null));
        view.put("nodesWithoutHistory", report.nodesWithoutHistory());
        return view;
    }

    private static String role(Optional<ServerRole> role) {
        return role.map(ServerRole::wireName).orElse("none");
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
