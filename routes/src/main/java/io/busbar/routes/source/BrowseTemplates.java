package io.busbar.routes.source;

import io.busbar.connectors.opcua.browse.AddressSpaceBrowser;
import io.busbar.connectors.opcua.browse.BrowseException;
import io.busbar.mappings.Mapping;
import io.busbar.mappings.yaml.InvalidConfigurationException;
import io.busbar.mappings.yaml.Problem;
import io.busbar.routes.plan.ServerPlan;
import io.busbar.routes.plan.SourcePairPlan;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves a mapping's browse templates (e.g. {@code Objects/Meters/{meter}/Energy}) against the
 * address space of the first server of the pair that answers and matches. Both servers of a
 * redundant pair serve the same address space, so either will do; a standby that lacks the meter
 * nodes (NETx keeps them only on the active server) is passed over for its partner.
 */
final class BrowseTemplates {

    private static final Logger log = LoggerFactory.getLogger(BrowseTemplates.class);
    /** Mapping problems quoted in the reason; the rest are counted. */
    private static final int PROBLEMS_QUOTED = 3;

    private BrowseTemplates() {
    }

    /**
     * @return the plan with its mapping resolved; the plan itself when it has no browse templates
     * @throws BrowseException naming, per server, why it could not resolve the templates (one line)
     */
    static SourcePairPlan resolve(SourcePairPlan plan) throws BrowseException {
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
                if (resolved.nodeIds().isEmpty()) {
                    // a server still loading its address space, or a standby that has the meter nodes only
                    // while it is active: starting with nothing to read would never read anything
                    failures.add(server.role().wireName() + ": the browse templates match no node below "
                            + String.join(", ", plan.mapping().browsePrefixes()));
                    continue;
                }
                log.info("Source pair {}: browse templates resolved on the {} server: {} mapped nodes", plan.name(),
                        server.role().wireName(), resolved.nodeIds().size());
                return new SourcePairPlan(plan.name(), plan.primary(), plan.secondary(), plan.redundancy(),
                        plan.backfill(), resolved, plan.targets());
            } catch (BrowseException e) {
                failures.add(server.role().wireName() + ": " + e.getMessage());
            } catch (InvalidConfigurationException e) {
                failures.add(server.role().wireName() + ": its address space does not match the mapping: "
                        + quote(e.problems()));
            }
        }
        throw new BrowseException("no server could be browsed to resolve the mapping's browse templates ("
                + String.join("; ", failures) + ")");
    }

    private static String quote(List<Problem> problems) {
        List<String> quoted = problems.stream().limit(PROBLEMS_QUOTED).map(Problem::toString).toList();
        return String.join("; ", quoted)
                + (problems.size() > PROBLEMS_QUOTED ? " (and " + (problems.size() - PROBLEMS_QUOTED) + " more)" : "");
    }
}
