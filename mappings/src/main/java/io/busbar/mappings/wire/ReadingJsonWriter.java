package io.busbar.mappings.wire;

import io.busbar.mappings.model.Accumulation;
import io.busbar.mappings.model.IsoInstant;
import io.busbar.mappings.model.Medium;
import io.busbar.mappings.model.Quality;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.ServerRole;
import io.busbar.mappings.model.ValidationStatus;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes a reading's wire-format JSON straight into bytes, byte for byte what {@link ReadingCodec#toJson}
 * gives (as UTF-8), without a Jackson generator: per-record targets (Kafka) encode every reading, and
 * the generator's per-field calls were the largest part of the delivery thread (bench profile,
 * 2026-12-04). Texts shared by the readings of a batch (pair, quantity, unit, tariff) are kept
 * encoded after their first use; the enum fields (server, quality, validation, medium,
 * accumulation) come from tables made once per class; times are written as digits straight into
 * the buffer ({@link TimeText}); decimals and status codes that fit a long are written as digits
 * with no String.
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
    /** Decimals of at most this many digits (and a scale of 0 to this) are written from their unscaled long. */
    private static final int MAX_LONG_DIGITS = 18;
    /** 10^i for i = 0..18: the digit count of a long. */
    private static final long[] POW10 = new long[MAX_LONG_DIGITS + 1];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    // the enum fields, name and value, by ordinal (null last): lowering the case (wireName) and
    // looking the text up per reading were a tenth of the writer in the bench profile (2026-12-05 06:28)
    private static final byte[][] SERVERS = field("server", ServerRole.values(), ServerRole::wireName);
    private static final byte[][] QUALITIES = field("quality", Quality.values(), Quality::name);
    private static final byte[][] VALIDATIONS = field("validation", ValidationStatus.values(), ValidationStatus::name);
    private static final byte[][] MEDIA = field("medium", Medium.values(), Medium::wireName);
    private static final byte[][] ACCUMULATIONS = field("accumulation", Accumulation.values(), Accumulation::wireName);

    // the field names with their punctuation, in wire order (the enum fields are in their tables above)
    private static final byte[] F_OPEN_KEY = ascii("{\"key\":");
    private static final byte[] F_PAIR = ascii(",\"pair\":");
    private static final byte[] F_METER = ascii(",\"meter\":");
    private static final byte[] F_QUANTITY = ascii(",\"quantity\":");
    private static final byte[] F_VALUE = ascii(",\"value\":");
    private static final byte[] F_UNIT = ascii(",\"unit\":");
    private static final byte[] F_RAW = ascii(",\"raw\":");
    private static final byte[] F_SOURCE_TIME = ascii(",\"sourceTime\":");
    private static final byte[] F_SERVER_TIME = ascii(",\"serverTime\":");
    private static final byte[] F_STATUS = ascii(",\"status\":");
    private static final byte[] F_FLAGS = ascii(",\"flags\":");
    private static final byte[] F_SERIAL = ascii(",\"serial\":");
    private static final byte[] F_ACCOUNT = ascii(",\"account\":");
    private static final byte[] F_ADDRESS = ascii(",\"address\":");
    private static final byte[] F_GROUPS = ascii(",\"groups\":");
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
        named(SERVERS, r.server());
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
        named(QUALITIES, r.quality());
        bytes(F_STATUS);
        number(r.status());
        named(VALIDATIONS, r.validation());
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
        named(MEDIA, r.medium());
        named(ACCUMULATIONS, r.accumulation());
        bytes(F_TARIFF);
        if (!cached(r.tariff())) return false;
        byte1('}');
        return true;
    }

    private final TimeText sourceTime = new TimeText();
    private final TimeText serverTime = new TimeText();

    /**
     * A time as a JSON string, with no String and no map lookup (server times differ per reading;
     * formatting them was a fifth of the delivery thread in the bench profile, 2026-12-04 18:52).
     */
    private void time(Instant time, TimeText text) {
        if (time == null) {
            bytes(NULL);
            return;
        }
        ensure(TimeText.MAX_LENGTH);
        int end = text.write(buf, len, time);
        if (end < 0) {
            string(time.toString()); // outside years 1000-9999: the JDK's text
        } else {
            len = end;
        }
    }

    /** An enum field, name and value, from its table. */
    private void named(byte[][] table, Enum<?> value) {
        bytes(table[value == null ? table.length - 1 : value.ordinal()]);
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
        int scale = value.scale();
        if (scale > MAX_PLAIN_SCALE || scale < -MAX_PLAIN_SCALE) {
            return false;
        }
        if (scale >= 0 && scale <= MAX_LONG_DIGITS && value.precision() <= MAX_LONG_DIGITS) {
            // the unscaled value without a BigInteger: one BigDecimal (scale 0) at most, no text
            plain((scale == 0 ? value : value.scaleByPowerOfTen(scale)).longValue(), scale);
        } else {
            raw(value.toPlainString());
        }
        return true;
    }

    /** A long as Long.toString writes it. */
    private void number(long value) {
        if (value == Long.MIN_VALUE) {
            raw(Long.toString(value)); // has no positive counterpart
        } else {
            plain(value, 0);
        }
    }

    /**
     * {@link BigDecimal#toPlainString()} of {@code unscaled} × 10^-{@code scale}, for a scale of 0 to
     * {@value #MAX_LONG_DIGITS}: the digits, with a point {@code scale} digits from the right, and
     * {@code 0.} and zeros before them when there are no more digits than the scale.
     */
    private void plain(long unscaled, int scale) {
        ensure(2 * MAX_LONG_DIGITS + 6); // sign, "0.", zeros up to the scale, up to 19 digits
        byte[] b = buf;
        int at = len;
        long rest = unscaled;
        if (rest < 0) {
            b[at++] = '-';
            rest = -rest;
        }
        int digits = 1;
        while (digits < POW10.length && rest >= POW10[digits]) {
            digits++;
        }
        int point = scale; // digits right of the point among the digits; 0: none
        if (digits <= scale) {
            b[at++] = '0';
            b[at++] = '.';
            for (int i = digits; i < scale; i++) {
                b[at++] = '0';
            }
            point = 0;
        }
        int end = at + digits + (point > 0 ? 1 : 0);
        int p = end;
        for (int i = 0; i < digits; i++) {
            if (i == point && i > 0) {
                b[--p] = '.';
            }
            b[--p] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        len = end;
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

    /**
     * An enum field as it follows the previous one, {@code ,"name":"text"}, for each constant by
     * ordinal, then {@code ,"name":null} (plain ASCII names: nothing to escape).
     */
    private static <E extends Enum<E>> byte[][] field(String name, E[] values, Function<E, String> text) {
        byte[][] table = new byte[values.length + 1][];
        for (E value : values) {
            table[value.ordinal()] = ascii(",\"" + name + "\":\"" + text.apply(value) + '"');
        }
        table[values.length] = ascii(",\"" + name + "\":null");
        return table;
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
