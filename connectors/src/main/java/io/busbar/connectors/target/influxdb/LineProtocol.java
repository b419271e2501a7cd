package io.busbar.connectors.target.influxdb;

import io.busbar.mappings.model.Reading;

/**
 * A reading as one InfluxDB line-protocol point:
 * {@code <measurement>,meter=<m>,pair=<p>,quantity=<q> value=<v>,quality="GOOD",status=0i <source time ms>}.
 * Tags are sorted by key (what InfluxDB recommends); {@code value} is the exact decimal text (no
 * binary float in between), left out when the reading has none. The point's time is the source
 * time, so a rewrite of the same reading replaces the point instead of adding one.
 */
public final class LineProtocol {

    private LineProtocol() {
    }

    public static String point(String measurement, Reading r) {
        StringBuilder line = new StringBuilder(160);
        line.append(escape(measurement, false));
        tag(line, "meter", r.meter());
        tag(line, "pair", r.pair());
        tag(line, "quantity", r.quantity());
        line.append(' ');
        if (r.value() != null) {
            line.append("value=").append(r.value().toPlainString()).append(',');
        }
        line.append("quality=\"").append(r.quality() == null ? "" : r.quality().name()).append('"');
        line.append(",status=").append(r.status()).append('i');
        line.append(' ').append(r.sourceTime().toEpochMilli());
        return line.toString();
    }

    private static void tag(StringBuilder line, String key, String value) {
        if (value != null && !value.isEmpty()) {
            line.append(',').append(key).append('=').append(escape(value, true));
        }
    }

    /** Measurements escape commas and spaces; tag keys and values also equals signs. */
    static String escape(String text, boolean tag) {
        StringBuilder out = new StringBuilder(text.length() + 4);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                c = ' '; // line protocol has no escape for a line break
            }
            if (c == ',' || c == ' ' || (tag && c == '=')) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
