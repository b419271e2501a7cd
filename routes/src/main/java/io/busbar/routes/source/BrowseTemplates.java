package io.busbar.routes.source;

import io.busbar.connectors.opcua.browse.AddressSpaceBrowser;
import io.busbar.connectors.opcua.browse.BrowseException;
import io.busbar.mappings.Mapping;
import io.busbar.routes.plan.ServerPlan;
import io.busbar.routes.plan.SourcePairPlan;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves a mapping's browse templates (e.g. {@code Objects/Meters/{meter}/Energy}) against the
 * address space of the first server of the pair that answers. Both servers of a redundant pair
 * serve the same address space, so either will do.
 */
final class BrowseTemplates {

    private static final Logger log = LoggerFactory.getLogger(BrowseTemplates.class);

    private BrowseTemplates() {
    }

    /** @return the plan with its mapping resolved; the plan itself when it has no browse templates */
    static SourcePairPlan resolve(SourcePairPlan plan) {
        if (!plan.mapping().needsAddressSpace()) {
            return plan;
        }
        List<ServerPlan> servers = new ArrayList<>(List.of(plan.primary()));
        plan.secondary().ifPresent(servers::add);
        List<String> failures = new ArrayList<>();
        for (ServerPlan server : servers) {
            try {
                Mapping resolved = plan.mapping().resolve(AddressSpaceBrowser.builder(server.options()).build()
                        .browseNodes(plan.mapping().browsePrefixes()));
                log.info("Source pair {}: browse templates resolved on the {} server: {} mapped nodes", plan.name(),
                        server.role().wireName(), resolved.nodeIds().size());
                return new SourcePairPlan(plan.name(), plan.primary(), plan.secondary(), plan.redundancy(),
                        plan.backfill(), resolved, plan.targets());
            } catch (BrowseException e) {
                failures.add(server.role().wireName() + ": " + e.getMessage());
            }
        }
        throw new IllegalStateException("Source pair " + plan.name() + ": the mapping has browse templates, and no"
                + " server could be browsed to resolve them (" + String.join("; ", failures) + ")");
    }
}
