package io.busbar.connectors.uplink;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.connectors.opcua.browse.BrowsePaths;
import io.busbar.connectors.opcua.browse.FoundVariable;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code discover uplinks} heard on a network server's uplink topics: per device its name,
 * profile, how many uplinks, and every field of its decoded object by JSON pointer, as the variables
 * of a mapping skeleton (one meter per device, one register per numeric field). Not thread-safe: one
 * listener thread adds.
 */
public final class DevicesSeen {

    /** How many reasons of uplinks that could not be read are kept. */
    static final int REASONS_KEPT = 5;

    private final Map<String, Device> devices = new LinkedHashMap<>();
    private final List<String> badReasons = new ArrayList<>();
    private int bad;

    private static final class Device {
        final String eui;
        final String name;
        final String profile;
        int uplinks;
        /** Field pointer → an example value, first seen first. */
        final Map<String, JsonNode> fields = new LinkedHashMap<>();

        Device(String eui, String name, String profile) {
            this.eui = eui;
            this.name = name;
            this.profile = profile;
        }
    }

    public void add(Uplink uplink) {
        Device device = devices.computeIfAbsent(uplink.device(),
                eui -> new Device(eui, uplink.deviceName(), uplink.profile()));
        device.uplinks++;
        collect(uplink.decoded(), "", device.fields);
    }

    public void bad(String reason) {
        bad++;
        if (badReasons.size() < REASONS_KEPT) {
            badReasons.add(reason);
        }
    }

    public int devices() {
        return devices.size();
    }

    public int uplinks() {
        return devices.values().stream().mapToInt(d -> d.uplinks).sum();
    }

    /** Uplinks that could not be read (not JSON, no decoded object, ...). */
    public int bad() {
        return bad;
    }

    /** The first {@value #REASONS_KEPT} reasons of {@link #bad()} uplinks. */
    public List<String> badReasons() {
        return List.copyOf(badReasons);
    }

    /**
     * Every field seen, as a variable of a skeleton: browse path {@code <device name>/<pointer>} (one
     * meter per device), node {@code uplink:<EUI><pointer>}, numbers numeric, anything else not.
     */
    public List<FoundVariable> variables() {
        List<FoundVariable> variables = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (Device device : devices.values()) {
            // two devices of one name stay two meters
            String meter = names.add(device.name) ? device.name : device.name + " " + device.eui;
            device.fields.forEach((pointer, example) -> variables.add(new FoundVariable(
                    BrowsePaths.child(BrowsePaths.escape(meter), pointer.substring(1)), "uplink:" + device.eui + pointer,
                    example.isNumber() ? "JSON number" : "JSON " + example.getNodeType().name().toLowerCase(java.util.Locale.ROOT),
                    example.isNumber() ? NUMBER_TYPE : null, -1, null,
                    "device " + device.eui + (device.profile.isEmpty() ? "" : ", profile " + device.profile) + ", "
                            + device.uplinks + " uplink(s), e.g. " + example)));
        }
        return variables;
    }

    /** Text fields that hold an ISO-8601 time, e.g. {@code /readAt}: candidates for {@code device-time}. */
    public Set<String> timeFields() {
        Set<String> pointers = new LinkedHashSet<>();
        for (Device device : devices.values()) {
            device.fields.forEach((pointer, example) -> {
                if (example.isTextual() && isInstant(example.asText())) {
                    pointers.add(pointer);
                }
            });
        }
        return pointers;
    }

    /** OPC UA Double: what the skeleton takes for "numeric". */
    private static final String NUMBER_TYPE = "i=11";

    private static void collect(JsonNode node, String pointer, Map<String, JsonNode> fields) {
        if (node.isObject()) {
            node.properties().forEach(field -> collect(field.getValue(),
                    pointer + "/" + field.getKey().replace("~", "~0").replace("/", "~1"), fields));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), pointer + "/" + i, fields);
            }
        } else if (!pointer.isEmpty() && !node.isNull()) {
            JsonNode seen = fields.get(pointer);
            if (seen == null || !seen.isNumber() && node.isNumber()) {
                fields.put(pointer, node); // a field that is ever a number is offered as one
            }
        }
    }

    private static boolean isInstant(String text) {
        try {
            Instant.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
