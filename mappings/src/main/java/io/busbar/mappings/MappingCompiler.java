package io.busbar.mappings;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.mappings.accounting.AccountingCompiler;
import io.busbar.mappings.accounting.AccountingSpec;
import io.busbar.mappings.model.Register;
import io.busbar.mappings.validation.ValidationSettings;
import io.busbar.mappings.yaml.InvalidConfigurationException;
import io.busbar.mappings.yaml.LocatedDocument;
import io.busbar.mappings.yaml.Problem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Mapping file → registers: schema check, the top-level {@code validation:} block, meters written
 * out, then templates expanded, every meter checked the same way and all of them unique together.
 * Every problem of the file is collected before anything is thrown.
 */
final class MappingCompiler {

    /** What one mapping file compiled to. */
    record Compiled(List<Register> registers, Map<String, NodeOrigin> nodeOrigins, boolean needsAddressSpace,
                    List<Template> templates, List<String> browsePaths, AccountingSpec accounting) {

        /** The same without the node origins, once no later check can need them (see {@link Mapping#combine}). */
        Compiled withoutOrigins() {
            return nodeOrigins.isEmpty() ? this
                    : new Compiled(registers, Map.of(), needsAddressSpace, templates, browsePaths, accounting);
        }
    }

    private MappingCompiler() {
    }

    /**
     * @param addressSpace the server's nodes, or null: then browse templates and meters with browse
     *                     paths are left out and {@link Compiled#needsAddressSpace()} says so
     * @throws InvalidConfigurationException with every problem found
     */
    static Compiled compile(LocatedDocument document, AddressSpace addressSpace) {
        List<Problem> problems = new ArrayList<>(MappingFile.schema().check(document));
        // The cross checks run even when the schema check failed, so that one run lists every problem;
        // they therefore only look at values of the right type and leave the rest to the schema.
        JsonNode root = document.root();
        if (root.isObject() && !root.has("meters") && !root.has("templates")) {
            problems.add(document.problemAt("", "missing required key 'meters' (or 'templates')"));
        }
        ValidationSettings fileSettings = ValidationSettings.parse(document, "/validation", problems);

        Uniqueness uniqueness = new Uniqueness();
        List<Register> registers = new ArrayList<>();
        boolean needsAddressSpace = false;
        long meterCount = 0;
        List<String> browsePaths = new ArrayList<>();

        ProblemSink all = new ProblemSink(problems, Integer.MAX_VALUE);
        JsonNode meters = root.path("meters");
        for (int m = 0; meters.isArray() && m < meters.size(); m++) {
            MeterSpec spec = MeterSpec.compile(document, "/meters/" + m, fileSettings, null, problems);
            spec.registers().stream().map(RegisterSpec::browse).filter(b -> b != null).forEach(browsePaths::add);
            MeterSpec.Instance instance = spec.instantiate(document, null, addressSpace, all);
            meterCount++;
            if (instance != null) {
                needsAddressSpace |= instance.pending();
                if (uniqueness.check(instance, all) && instance.meter() != null) {
                    registers.addAll(instance.meter().registers());
                }
            }
        }

        List<Template> templates = new ArrayList<>();
        JsonNode templateList = root.path("templates");
        for (int t = 0; templateList.isArray() && t < templateList.size(); t++) {
            String pointer = "/templates/" + t;
            Template template = Template.compile(document, pointer, fileSettings, problems);
            if (template == null) {
                continue;
            }
            templates.add(template);
            if (template.browsePattern() != null) {
                browsePaths.add(template.browsePattern());
            }
            template.spec().registers().stream().map(RegisterSpec::browse).filter(b -> b != null).forEach(browsePaths::add);
            if (template.kind() == Template.Kind.BROWSE && addressSpace == null) {
                needsAddressSpace = true;
                continue;
            }
            long size = template.kind() == Template.Kind.FOR ? template.size() : 0;
            if (size > MappingFile.MAX_METERS - meterCount) {
                problems.add(document.problemAt(pointer + "/for", "expands to " + (size == Long.MAX_VALUE ? "too many" : size)
                        + " meters; a mapping file may have at most " + MappingFile.MAX_METERS));
                meterCount = MappingFile.MAX_METERS;
                continue;
            }
            List<Map<String, String>> bindings = template.bindings(addressSpace);
            if (bindings.size() > MappingFile.MAX_METERS - meterCount) {
                problems.add(document.problemAt(pointer + "/browse", "matches " + bindings.size()
                        + " meters; a mapping file may have at most " + MappingFile.MAX_METERS));
                meterCount = MappingFile.MAX_METERS;
                continue;
            }
            ProblemSink sink = new ProblemSink(problems, TemplateExpander.MAX_PROBLEMS_PER_TEMPLATE);
            List<MeterSpec.Instance> instances = TemplateExpander.instances(template, bindings, addressSpace, sink);
            meterCount += instances.size();
            for (MeterSpec.Instance instance : instances) {
                needsAddressSpace |= instance.pending();
                if (uniqueness.check(instance, sink) && instance.meter() != null) {
                    registers.addAll(instance.meter().registers());
                }
            }
            sink.summarize(document, pointer);
        }
        AccountingSpec accounting = AccountingCompiler.compile(document, registers, needsAddressSpace, problems);
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return new Compiled(List.copyOf(registers), nodeOrigins(uniqueness), needsAddressSpace, List.copyOf(templates),
                List.copyOf(browsePaths), accounting);
    }

    private static Map<String, NodeOrigin> nodeOrigins(Uniqueness uniqueness) {
        Map<String, NodeOrigin> origins = new HashMap<>(uniqueness.nodeOrigins().size() * 4 / 3 + 1);
        uniqueness.nodeOrigins().forEach((node, origin) -> origins.put(node, NodeOrigin.of(origin)));
        return Map.copyOf(origins);
    }
}
