package io.busbar.mappings;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Syntax check of OPC UA NodeIds in their text form (Part 6, 5.3.1.10):
 * {@code [ns=<index>;|nsu=<uri>;](i=<uint>|s=<string>|g=<guid>|b=<base64>)}.
 */
public final class NodeIds {

    private static final Pattern NODE_ID = Pattern.compile(
            "^(?:(?:ns=(?<ns>\\d{1,5})|nsu=[^;]+);)?"
                    + "(?:i=(?<i>\\d{1,10})"
                    + "|s=.+"
                    + "|g=[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
                    + "|b=[A-Za-z0-9+/]+={0,2})$", Pattern.DOTALL);

    private static final long MAX_NAMESPACE_INDEX = 0xFFFFL; // UInt16
    private static final long MAX_NUMERIC_ID = 0xFFFF_FFFFL; // UInt32

    private NodeIds() {
    }

    public static boolean isValid(String text) {
        if (text == null) {
            return false;
        }
        Matcher matcher = NODE_ID.matcher(text);
        return matcher.matches()
                && atMost(matcher.group("ns"), MAX_NAMESPACE_INDEX)
                && atMost(matcher.group("i"), MAX_NUMERIC_ID);
    }

    private static boolean atMost(String digits, long max) {
        return digits == null || Long.parseLong(digits) <= max; // at most 10 digits: fits a long
    }

    public static final String EXPECTED = "must be an OPC UA NodeId such as ns=2;s=Meter001.Energy or ns=0;i=2267";
}
