package io.busbar.mappings.wire;

import io.busbar.mappings.model.IsoInstant;
import io.busbar.mappings.model.Reading;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a reading's wire-format JSON straight into bytes, byte for byte what {@link ReadingCodec#toJson}
 * gives (as UTF-8), without a Jackson generator: per-record targets (Kafka) encode every reading, and
 * the generator's per-field calls were the largest part of the delivery thread (bench profile,
 * 2026-12-04). Texts shared by the readings of a batch (pair, server, quantity, unit, status
 * names) are kept encoded after their first use; times are written as digits straight into the
 * buffer ({@link IsoInstant#formatInto}).
 *
 * <p>Escaping is Jackson's default for UTF-8 output: {@code "} and {@code \} with a backslash,
 * {@code \b \t \n \f \r} short, other control characters as backslash-u-00XX (upper-case hex),
 * everything else as UTF-8. What this writer does not reproduce itself — a text with a surrogate
 * (an emoji, or a lone one), a decimal whose plain form Jackson refuses (scale beyond
 * ±9999) — goes through {@link ReadingEncoder}, so the bytes (or the failure) stay Jackson's.
 * Not thread-safe: one per batch or thread.
 */
public final class ReadingJsonWriter implements AutoCloseable {

    private static final int MAX_CACHED = 64;
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    /** Jackson's limit for writing a BigDecimal as plain text. */
    private static final int MAX_PLAIN_SCALE = 9999;

    // the field names with their punctuation, in wire order
    private static final byte[] F_OPEN_KEY = ascii("{\"key\":");
    private static final byte[] F_PAIR = ascii(",\"pair\":");
    private static final byte[] F_SERVER = ascii(",\"server\":");
    private static final byte[] F_METER = ascii(",\"meter\":");
    private static final byte[] F_QUANTITY = ascii(",\"quantity\":");
    private static final byte[] F_VALUE = ascii(",\"value\":");
    private static final byte[] F_UNIT = ascii(",\"unit\":");
    private static final byte[] F_RAW = ascii(",\"raw\":");
    private static final byte[] F_SOURCE_TIME = ascii(",\"sourceTime\":");
    private static final byte[] F_SERVER_TIME = ascii(",\"serverTime\":");
    private static final byte[] F_QUALITY = ascii(",\"quality\":");
    private static final byte[] F_STATUS = ascii(",\"status\":");
    private static final byte[] F_VALIDATION = ascii(",\"validation\":");
    private static final byte[] F_FLAGS = ascii(",\"flags\":");
    private static final byte[] F_SERIAL = ascii(",\"serial\":");
    private static final byte[] F_ACCOUNT = ascii(",\"account\":");
    private static final byte[] F_ADDRESS = ascii(",\"address\":");
    private static final byte[] F_GROUPS = ascii(",\"groups\":");
    private static final byte[] F_MEDIUM = ascii(",\"medium\":");
    private static final byte[] F_ACCUMULATION = ascii(",\"accumulation\":");
    private static final byte[] F_TARIFF = ascii(",\"tariff\":");

    private final Map<String, byte[]> quoted = new HashMap<>();
    private byte[] buf = new byte[512];
    private int len;
    private ReadingEncoder fallback;

    /** The reading's JSON bytes. */
    public byte[] encode(Reading r) {
        len = 0;
        if (!write(r)) {
            if (fallback == null) {
                fallback = new ReadingEncoder();
            }
            return fallback.encode(r);
        }
        return Arrays.copyOf(buf, len);
    }

    /** Closes the Jackson fallback, if one was needed. */
    @Override
    public void close() {
        if (fallback != null) {
            fallback.close();
            fallback = null;
        }
    }

    /** @return false when the reading needs Jackson (see the class comment) */
    private boolean write(Reading r) {
        bytes(F_OPEN_KEY);
        if (!string(r.key())) return false;
        bytes(F_PAIR);
        if (!cached(r.pair())) return false;
        bytes(F_SERVER);
        if (!cached(r.server() == null ? null : r.server().wireName())) return false;
        bytes(F_METER);
        if (!string(r.meter())) return false;
        bytes(F_QUANTITY);
        if (!cached(r.quantity())) return false;
        bytes(F_VALUE);
        if (!decimal(r.value())) return false;
        bytes(F_UNIT);
        if (!cached(r.unit())) return false;
        bytes(F_RAW);
        if (!decimal(r.raw())) return false;
        bytes(F_SOURCE_TIME);
        time(r.sourceTime(), sourceTime);
        bytes(F_SERVER_TIME);
        time(r.serverTime(), serverTime);
        bytes(F_QUALITY);
        cached(r.quality() == null ? null : r.quality().name());
        bytes(F_STATUS);
        raw(Long.toString(r.status()));
        bytes(F_VALIDATION);
        cached(r.validation().name());
        bytes(F_FLAGS);
        if (!strings(r.flags())) return false;
        bytes(F_SERIAL);
        if (!string(r.serial())) return false;
        bytes(F_ACCOUNT);
        if (!string(r.account())) return false;
        bytes(F_ADDRESS);
        if (!string(r.address())) return false;
        bytes(F_GROUPS);
        if (!strings(r.groups())) return false;
        bytes(F_MEDIUM);
        cached(r.medium() == null ? null : r.medium().wireName());
        bytes(F_ACCUMULATION);
        cached(r.accumulation() == null ? null : r.accumulation().wireName());
        bytes(F_TARIFF);
        if (!cached(r.tariff())) return false;
        byte1('}');
        return true;
    }

    /** The last time written in one field, as its JSON bytes: the readings of a publish share their source time. */
    private static final class LastTime {
        private Instant time;
        /** Room for any Instant's quoted text (the JDK's longest is 37 characters). */
        private final byte[] json = new byte[48];
        private int length;
    }

    private final LastTime sourceTime = new LastTime();
    private final LastTime serverTime = new LastTime();

    /**
     * A time as a JSON string: the field's last one again is copied, any other is written as digits
     * straight into the buffer, with no String and no map lookup (server times differ per reading;
     * formatting them was a fifth of the delivery thread in the bench profile, 2026-12-04 18:52).
     */
    private void time(Instant time, LastTime last) {
        if (time == null) {
            bytes(NULL);
            return;
        }
        if (time.equals(last.time)) {
            ensure(last.length);
            System.arraycopy(last.json, 0, buf, len, last.length);
            len += last.length;
            return;
        }
        int start = len;
        ensure(IsoInstant.MAX_LENGTH + 2);
        buf[len] = '"';
        int end = IsoInstant.formatInto(buf, len + 1, time);
        if (end < 0) {
            string(time.toString()); // outside years 1000-9999: the JDK's text
        } else {
            buf[end] = '"';
            len = end + 1;
        }
        int length = len - start;
        if (length <= last.json.length) {
            System.arraycopy(buf, start, last.json, 0, length);
            last.length = length;
            last.time = time;
        }
    }

    /** A text most readings of a batch share, quoted and escaped once. */
    private boolean cached(String value) {
        if (value == null) {
            bytes(NULL);
            return true;
        }
        byte[] encoded = quoted.get(value);
        if (encoded == null) {
            int start = len;
            if (!string(value)) {
                return false;
            }
            if (quoted.size() >= MAX_CACHED) {
                quoted.clear();
            }
            quoted.put(value, Arrays.copyOfRange(buf, start, len));
            return true;
        }
        bytes(encoded);
        return true;
    }

    private boolean strings(List<String> values) {
        byte1('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                byte1(',');
            }
            if (!string(values.get(i))) {
                return false;
            }
        }
        byte1(']');
        return true;
    }

    private boolean decimal(BigDecimal value) {
        if (value == null) {
            bytes(NULL);
            return true;
        }
        if (value.scale() > MAX_PLAIN_SCALE || value.scale() < -MAX_PLAIN_SCALE) {
            return false;
        }
        raw(value.toPlainString());
        return true;
    }

    /** A JSON string as Jackson writes it; false for a text with a surrogate. */
    private boolean string(String value) {
        if (value == null) {
            bytes(NULL);
            return true;
        }
        int n = value.length();
        ensure(n * 6 + 2); // worst case: every char as backslash-u-00XX
        byte[] b = buf;
        int at = len;
        b[at++] = '"';
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    b[at++] = (byte) c;
                } else {
                    b[at++] = '\\';
                    switch (c) {
                        case '"' -> b[at++] = '"';
                        case '\\' -> b[at++] = '\\';
                        case '\b' -> b[at++] = 'b';
                        case '\t' -> b[at++] = 't';
                        case '\n' -> b[at++] = 'n';
                        case '\f' -> b[at++] = 'f';
                        case '\r' -> b[at++] = 'r';
                        default -> {
                            b[at++] = 'u';
                            b[at++] = '0';
                            b[at++] = '0';
                            b[at++] = HEX[c >> 4];
                            b[at++] = HEX[c & 0xF];
                        }
                    }
                }
            } else if (c < 0x800) {
                b[at++] = (byte) (0xC0 | (c >> 6));
                b[at++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                return false;
            } else {
                b[at++] = (byte) (0xE0 | (c >> 12));
                b[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[at++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        b[at++] = '"';
        len = at;
        return true;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** ASCII text as it is (numbers). */
    private void raw(String ascii) {
        int n = ascii.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) ascii.charAt(i);
        }
    }

    private void bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    private void byte1(char c) {
        ensure(1);
        buf[len++] = (byte) c;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
