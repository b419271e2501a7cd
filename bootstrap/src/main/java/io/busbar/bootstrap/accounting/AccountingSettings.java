package io.busbar.bootstrap.accounting;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.accounting.LiveTotals;
import io.busbar.bootstrap.config.ConfigBinding;
import io.busbar.bootstrap.config.schema.AccountingConfig;
import io.busbar.connectors.schema.Name;
import io.busbar.mappings.Mapping;
import io.busbar.mappings.accounting.AccountingSpec;
import io.busbar.mappings.yaml.LocatedDocument;
import io.busbar.mappings.yaml.Problem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code accounting:} section of busbar.yaml: which targets get the running accounting's
 * derived readings and events, where its state is kept and how late data may come.
 *
 * @param pairs       the pairs whose mapping files have an {@code accounting:} block (other than the defaults)
 * @param intervalsTo targets of the derived readings
 * @param eventsTo    targets of the events
 * @param totals      billing totals at the moments of a schedule ({@code totals:}), or null
 */
public record AccountingSettings(List<String> pairs, List<String> intervalsTo, List<String> eventsTo, Path stateDir,
                                 Duration lateData, LiveTotals.Settings totals) {

    public static final String SECTION = "accounting";

    /** What the schema cannot check: targets that exist, a mapping with groups to compute, a standalone deployment. */
    public static void check(LocatedDocument document, Map<String, Mapping> mappings, List<Problem> problems) {
        JsonNode root = document.root();
        JsonNode section = root.path(SECTION);
        if (!section.isObject()) {
            return;
        }
        for (String list : List.of("intervals-to", "events-to")) {
            JsonNode names = section.path(list);
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i).asText();
                if (root.path("targets").isObject() && !root.path("targets").has(name)) {
                    List<String> defined = new ArrayList<>();
                    root.path("targets").fieldNames().forEachRemaining(defined::add);
                    problems.add(document.problemAt("/" + SECTION + "/" + list + "/" + i, "unknown target '" + name
                            + "' (defined: " + String.join(", ", defined) + ")"));
                }
            }
        }
        if (!mappings.isEmpty() && mappings.values().stream().noneMatch(AccountingSettings::accounts)) {
            problems.add(document.problemAt("/" + SECTION, "no mapping file has an accounting: block: nothing to compute"));
        }
        TotalsSettings.check(document, section.path(TotalsSettings.KEY), "/" + SECTION + "/" + TotalsSettings.KEY, problems);
        String mode = root.path("deployment").path("mode").asText("standalone");
        if (!"standalone".equals(mode)) {
            problems.add(document.problemAt("/" + SECTION, "the running accounting keeps its state on this instance:"
                    + " it needs deployment.mode standalone (is " + mode + "); recompute with 'busbar accounting' instead"));
        }
    }

    /** Empty when the file has no {@code accounting:} section. */
    public static Optional<AccountingSettings> of(JsonNode root, Path baseDir, Path bufferDataDir, Map<String, Mapping> mappings) {
        if (!root.path(SECTION).isObject()) {
            return Optional.empty();
        }
        AccountingConfig section = ConfigBinding.bind(root.get(SECTION), AccountingConfig.class);
        List<String> pairs = mappings.entrySet().stream().filter(e -> accounts(e.getValue()))
                .map(Map.Entry::getKey).sorted().toList();
        Path state = section.stateDir() != null ? baseDir.resolve(section.stateDir()).normalize()
                : bufferDataDir.resolve("accounting");
        return Optional.of(new AccountingSettings(pairs, names(section.intervalsTo()), names(section.eventsTo()),
                state, section.lateData(), section.totals() == null ? null : TotalsSettings.of(section.totals(), baseDir)));
    }

    /** A mapping with an {@code accounting:} block that says anything (intervals, groups, estimation). */
    static boolean accounts(Mapping mapping) {
        return !mapping.accounting().equals(AccountingSpec.NONE);
    }

    private static List<String> names(List<Name> names) {
        return names.stream().map(Name::value).toList();
    }

}
