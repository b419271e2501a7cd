package io.busbar.mappings.model;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where an IoT uplink register's value is: {@code uplink:<device EUI><JSON pointer>}, e.g.
 * {@code uplink:0004a30b001c0530/energy/import}: the device's EUI (16 hex digits, the same through
 * any gateway) and a JSON pointer (RFC 6901) into the decoded payload object the network server's
 * codec produced. A profile applied to many devices is a mapping template over the EUIs.
 *
 * @param device  the device EUI in lower-case hex
 * @param pointer the JSON pointer into the decoded object, starting with {@code /}
 */
public record UplinkAddress(String device, String pointer) {

    public static final String PREFIX = "uplink:";
    public static final String EXPECTED = "must be an uplink address such as uplink:0004a30b001c0530/energy"
            + " (the device EUI, 16 hex digits, then a JSON pointer into the decoded payload)";

    private static final Pattern FORM = Pattern.compile("uplink:([0-9a-fA-F]{16})(/.*)");

    public static boolean isUplink(String node) {
        return node != null && node.startsWith(PREFIX);
    }

    /** The address, or empty when the text is not a valid one ({@link #EXPECTED} says what is). */
    public static Optional<UplinkAddress> parse(String node) {
        if (node == null) {
            return Optional.empty();
        }
        var matcher = FORM.matcher(node);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        try {
            com.fasterxml.jackson.core.JsonPointer.compile(matcher.group(2));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.of(new UplinkAddress(matcher.group(1).toLowerCase(Locale.ROOT), matcher.group(2)));
    }

    /** The node id the mapping keys this register by (EUI in lower case, so any spelling matches). */
    public String nodeId() {
        return PREFIX + device + pointer;
    }
}
