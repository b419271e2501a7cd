package io.busbar.mappings;

import io.busbar.mappings.model.BrowsedNode;
import io.busbar.mappings.model.Meter;
import io.busbar.mappings.yaml.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Expands templates into meters. A pure function of the template and the server's address space:
 * the source side browses the server and passes what it found; nothing here talks to a server.
 */
public final class TemplateExpander {

    /** Problems listed per template before the rest are only counted. */
    static final int MAX_PROBLEMS_PER_TEMPLATE = 10;

    private TemplateExpander() {
    }

    /**
     * The meters one template makes, each checked like a meter written out (id and NodeId syntax,
     * browse paths found, no meter or node made twice by this template; uniqueness against the rest of
     * the file is {@link MappingFile}'s job).
     *
     * @param addressSpace the server's nodes; ignored by a {@link Template.Kind#FOR} template whose
     *                     registers name nodes, may then be empty
     */
    public static Expansion expand(Template template, List<BrowsedNode> addressSpace) {
        List<Problem> problems = new ArrayList<>();
        List<Meter> meters = new ArrayList<>();
        ProblemSink sink = new ProblemSink(problems, MAX_PROBLEMS_PER_TEMPLATE);
        Uniqueness uniqueness = new Uniqueness();
        if (template.size() > MappingFile.MAX_METERS) {
            problems.add(template.document().problemAt(template.pointer() + "/for", "expands to " + template.size()
                    + " meters; a mapping file may have at most " + MappingFile.MAX_METERS));
            return new Expansion(meters, problems);
        }
        AddressSpace index = new AddressSpace(addressSpace);
        for (MeterSpec.Instance instance : instances(template, template.bindings(index), index, sink)) {
            if (uniqueness.check(instance, sink) && instance.meter() != null) {
                meters.add(instance.meter());
            }
        }
        sink.summarize(template.document(), template.pointer());
        return new Expansion(meters, problems);
    }

    /** The meters the template makes with these variable values, unchecked for uniqueness. */
    static List<MeterSpec.Instance> instances(Template template, List<Map<String, String>> bindings, AddressSpace addressSpace,
                                              ProblemSink sink) {
        List<MeterSpec.Instance> instances = new ArrayList<>(bindings.size());
        for (Map<String, String> binding : bindings) {
            MeterSpec.Instance instance = template.spec().instantiate(template.document(), binding, addressSpace, sink);
            if (instance != null) {
                instances.add(instance);
            }
        }
        return instances;
    }
}
