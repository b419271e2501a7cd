package io.busbar.bootstrap.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the configuration's size form: {@code 512MB}, {@code 10GB} (binary multiples). */
final class Sizes {

    static final long MIN_BUFFER_BYTES = 64L << 20;
    private static final Pattern FORM = Pattern.compile("^(\\d+)(KB|MB|GB|TB)$");

    private Sizes() {
    }

    static long parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size: " + text);
        }
        int shift = switch (m.group(2)) {
            case "KB" -> 10;
            case "MB" -> 20;
            case "GB" -> 30;
            default -> 40;
        };
        return Math.multiplyExact(Long.parseLong(m.group(1)), 1L << shift);
    }
}
