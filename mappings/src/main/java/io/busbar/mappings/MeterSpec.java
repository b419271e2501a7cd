package io.busbar.mappings;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.mappings.model.Medium;
import io.busbar.mappings.model.Meter;
import io.busbar.mappings.model.MeterAttributes;
import io.busbar.mappings.model.ModbusAddress;
import io.busbar.mappings.model.Register;
import io.busbar.mappings.model.UplinkAddress;
import io.busbar.mappings.validation.ValidationSettings;
import io.busbar.mappings.yaml.LocatedDocument;
import io.busbar.mappings.yaml.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A meter as the mapping file writes it (under {@code meters:} or as the body of a template),
 * compiled once; {@link #instantiate} makes a {@link Meter} of it for one set of template variables.
 */
record MeterSpec(
        String pointer,
        String id,
        String serial,
        String account,
        String address,
        List<String> groups,
        Medium medium,
        List<RegisterSpec> registers) {

    /** What the schema demands of a meter id, checked again on ids a template made. */
    static final Pattern ID = Pattern.compile("^[^/\\s]{1,128}$");
    static final String ID_EXPECTED = "must be a meter id without spaces or '/', at most 128 characters";
    // the schema's limits, checked again on values a template made
    static final int MAX_SERIAL = 64;
    static final int MAX_ACCOUNT = 64;
    static final int MAX_ADDRESS = 256;
    static final int MAX_GROUP = 128;
    private static final List<String> TEXT_FIELDS = List.of("id", "serial", "account", "address");

    /** @param variables the template's placeholder names, or null for a meter written out */
    static MeterSpec compile(LocatedDocument document, String pointer, ValidationSettings fileSettings, List<String> variables,
                             List<Problem> problems) {
        JsonNode meter = document.at(pointer);
        if (variables != null) {
            for (String field : TEXT_FIELDS) {
                RegisterSpec.checkPlaceholders(document, pointer + "/" + field, RegisterSpec.text(meter, field), variables, problems);
            }
        }
        List<String> groups = new ArrayList<>();
        JsonNode groupList = meter.path("groups");
        for (int g = 0; groupList.isArray() && g < groupList.size(); g++) {
            if (groupList.get(g).isTextual()) {
                String group = groupList.get(g).asText();
                if (variables != null) {
                    RegisterSpec.checkPlaceholders(document, pointer + "/groups/" + g, group, variables, problems);
                }
                groups.add(group);
            }
        }
        Medium medium = null;
        String mediumName = RegisterSpec.text(meter, "medium");
        if (mediumName != null) {
            try {
                medium = Medium.fromWireName(mediumName);
            } catch (IllegalArgumentException e) {
                // the schema lists the allowed values
            }
        }
        List<RegisterSpec> registers = new ArrayList<>();
        JsonNode list = meter.path("registers");
        for (int r = 0; list.isArray() && r < list.size(); r++) {
            registers.add(RegisterSpec.compile(document, pointer + "/registers/" + r, fileSettings, variables, problems));
        }
        return new MeterSpec(pointer, RegisterSpec.text(meter, "id"), RegisterSpec.text(meter, "serial"),
                RegisterSpec.text(meter, "account"), RegisterSpec.text(meter, "address"), List.copyOf(groups), medium,
                List.copyOf(registers));
    }

    boolean needsAddressSpace() {
        return registers.stream().anyMatch(r -> r.browse() != null);
    }

    /**
     * What {@link #instantiate} made: the meter's id and the registers it could build, with where each
     * came from; {@code meter} only when nothing is missing.
     *
     * @param pending some registers have browse paths and no address space was given
     */
    record Instance(String meterId, Origin origin, List<Register> registers, List<Origin> registerOrigins, Meter meter,
                    boolean pending) {
    }

    /**
     * Substitutes the template variables, resolves browse paths and checks what only now has its final
     * value (ids and NodeIds a template made, browse paths). Null when a placeholder is broken (that
     * was reported when the template was compiled).
     *
     * @param bindings     the template variables, null for a meter written out
     * @param addressSpace the server's nodes by browse path, or null when not known yet
     */
    Instance instantiate(LocatedDocument document, Map<String, String> bindings, AddressSpace addressSpace, ProblemSink sink) {
        Origin origin = new Origin(document, pointer, bindings);
        String meterId;
        MeterAttributes attributes;
        try {
            meterId = Placeholders.substitute(id, bindings);
            List<String> expandedGroups = new ArrayList<>(groups.size());
            for (String group : groups) {
                expandedGroups.add(Placeholders.substitute(group, bindings));
            }
            attributes = new MeterAttributes(Placeholders.substitute(serial, bindings), Placeholders.substitute(account, bindings),
                    Placeholders.substitute(address, bindings), expandedGroups, medium);
        } catch (IllegalArgumentException e) {
            return null;
        }
        boolean complete = meterId != null;
        if (bindings != null) {
            complete &= checkExpanded(origin, meterId, attributes, sink);
        }
        boolean pending = false;
        List<Register> built = new ArrayList<>(registers.size());
        List<Origin> registerOrigins = new ArrayList<>(registers.size());
        for (RegisterSpec spec : registers) {
            if (spec.browse() != null && addressSpace == null) {
                pending = true;
                complete = false;
                continue;
            }
            Origin at = new Origin(document, spec.pointer(), bindings);
            String nodeId = nodeId(spec, bindings, addressSpace, at, sink);
            if (nodeId == null) {
                complete = false;
                continue;
            }
            built.add(spec.build(nodeId, meterId == null ? "" : meterId, attributes));
            registerOrigins.add(at);
        }
        Meter meter = complete && !built.isEmpty() ? new Meter(meterId, attributes, built) : null;
        return new Instance(meterId, origin, built, registerOrigins, meter, pending);
    }

    /** What the schema checks on a meter written out, checked again on the values a template made. */
    private static boolean checkExpanded(Origin origin, String meterId, MeterAttributes attributes, ProblemSink sink) {
        boolean valid = true;
        if (meterId != null && !ID.matcher(meterId).matches()) {
            sink.add(origin.problem("/id", ID_EXPECTED + ", not '" + meterId + "'"));
            valid = false;
        }
        valid &= checkLength(origin, "/serial", attributes.serial(), MAX_SERIAL, sink);
        valid &= checkLength(origin, "/account", attributes.account(), MAX_ACCOUNT, sink);
        valid &= checkLength(origin, "/address", attributes.address(), MAX_ADDRESS, sink);
        List<String> groups = attributes.groups();
        for (int g = 0; g < groups.size(); g++) {
            valid &= checkLength(origin, "/groups/" + g, groups.get(g), MAX_GROUP, sink);
            if (groups.indexOf(groups.get(g)) < g) {
                sink.add(origin.problem("/groups/" + g, "group '" + groups.get(g) + "' is listed twice"));
                valid = false;
            }
        }
        return valid;
    }

    private static boolean checkLength(Origin origin, String key, String value, int max, ProblemSink sink) {
        if (value == null || !value.isEmpty() && value.length() <= max) {
            return true;
        }
        sink.add(origin.problem(key, "must be 1 to " + max + " characters long, not " + value.length()));
        return false;
    }

    private static String nodeId(RegisterSpec spec, Map<String, String> bindings, AddressSpace addressSpace, Origin at,
                                 ProblemSink sink) {
        try {
            if (spec.node() != null) {
                String nodeId = Placeholders.substitute(spec.node(), bindings);
                if (ModbusAddress.isModbus(nodeId)) { // a Modbus gateway pair's register
                    if (ModbusAddress.parse(nodeId).isEmpty()) {
                        sink.add(at.problem("/node", ModbusAddress.EXPECTED + ", not '" + nodeId + "'"));
                        return null;
                    }
                    return nodeId;
                }
                if (UplinkAddress.isUplink(nodeId)) { // an IoT uplink source's register
                    var uplink = UplinkAddress.parse(nodeId);
                    if (uplink.isEmpty()) {
                        sink.add(at.problem("/node", UplinkAddress.EXPECTED + ", not '" + nodeId + "'"));
                        return null;
                    }
                    return uplink.get().nodeId();
                }
                if (!NodeIds.isValid(nodeId)) {
                    sink.add(at.problem("/node", NodeIds.EXPECTED + ", not '" + nodeId + "'"));
                    return null;
                }
                return nodeId;
            }
            if (spec.browse() != null) {
                String path = Placeholders.substitute(spec.browse(), bindings);
                List<String> found = addressSpace.nodesAt(path);
                if (found.isEmpty()) {
                    sink.add(at.problem("/browse", "browse path '" + path + "' is not in the server's address space"));
                    return null;
                }
                if (found.size() > 1) {
                    sink.add(at.problem("/browse", "browse path '" + path + "' names " + found.size() + " nodes ("
                            + String.join(", ", found.subList(0, Math.min(3, found.size()))) + (found.size() > 3 ? ", …" : "")
                            + "); make it unique or use 'node'"));
                    return null;
                }
                return found.get(0);
            }
        } catch (IllegalArgumentException e) {
            // a bad or unknown placeholder, reported when the template was compiled
        }
        return null;
    }
}
