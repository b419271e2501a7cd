package io.busbar.mappings.model;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;

/**
 * {@link Instant#toString()} and {@link Instant#parse} for the common case, without
 * {@code DateTimeFormatter}: years 1000–9999, UTC ({@code Z}), fraction of 0–9 digits. The
 * formatter's generic machinery cost ~1 µs per time in the benchmark profile, where server times
 * differ per reading and so cannot be cached. Gives exactly the JDK's text (fraction in groups of
 * three digits, seconds always written) and falls back to the JDK for anything else.
 */
public final class IsoInstant {

    private static final long SECONDS_PER_DAY = 86_400;
    private static final long MIN_SECOND = Instant.parse("1000-01-01T00:00:00Z").getEpochSecond();
    private static final long MAX_SECOND = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    private IsoInstant() {
    }

    /** The longest text {@link #formatInto} writes: {@code yyyy-MM-ddTHH:mm:ss.nnnnnnnnnZ}. */
    public static final int MAX_LENGTH = 30;

    public static String format(Instant time) {
        byte[] text = new byte[MAX_LENGTH];
        int end = formatInto(text, 0, time);
        return end < 0 ? time.toString() : new String(text, 0, end, StandardCharsets.US_ASCII);
    }

    /**
     * Writes {@link #format}'s text as ASCII bytes at {@code at} (room for {@link #MAX_LENGTH}
     * needed): what a JSON writer puts between its quotes, with no String per time (delivery
     * writes a server time per reading, and server times differ per reading).
     *
     * @return the index after the text, or -1 (nothing written) for a time outside the fast path,
     *         whose text is the JDK's {@link Instant#toString()}
     */
    public static int formatInto(byte[] text, int at, Instant time) {
        if (secondInto(text, at, time.getEpochSecond()) < 0) {
            return -1;
        }
        return fractionInto(text, at + SECOND_LENGTH, time.getNano());
    }

    /** The length of {@link #secondInto}'s text, {@code yyyy-MM-ddTHH:mm:ss}. */
    public static final int SECOND_LENGTH = 19;

    /**
     * The first {@link #SECOND_LENGTH} characters of {@link #formatInto}'s text, date and time of
     * day to the second: what the times of one second share (a JSON writer keeps it and writes only
     * {@link #fractionInto} for the next time of that second).
     *
     * @return the index after the text, or -1 (nothing written) outside years 1000-9999
     */
    public static int secondInto(byte[] text, int at, long epochSecond) {
        if (epochSecond < MIN_SECOND || epochSecond > MAX_SECOND) {
            return -1;
        }
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(epochSecond, SECONDS_PER_DAY));
        int secondOfDay = (int) Math.floorMod(epochSecond, SECONDS_PER_DAY);
        digits(text, at, date.getYear(), 4);
        text[at + 4] = '-';
        digits(text, at + 5, date.getMonthValue(), 2);
        text[at + 7] = '-';
        digits(text, at + 8, date.getDayOfMonth(), 2);
        text[at + 10] = 'T';
        digits(text, at + 11, secondOfDay / 3600, 2);
        text[at + 13] = ':';
        digits(text, at + 14, secondOfDay / 60 % 60, 2);
        text[at + 16] = ':';
        digits(text, at + 17, secondOfDay % 60, 2);
        return at + SECOND_LENGTH;
    }

    /**
     * The rest of {@link #formatInto}'s text after the second: the fraction as the JDK writes it
     * (none, or 3, 6 or 9 digits after a point) and {@code Z}; room for 11 bytes needed.
     *
     * @return the index after the text
     */
    public static int fractionInto(byte[] text, int at, int nanos) {
        int end = at;
        if (nanos != 0) {
            int fraction = nanos % 1_000_000 == 0 ? 3 : nanos % 1_000 == 0 ? 6 : 9;
            text[end] = '.';
            digits(text, end + 1, nanos / pow10(9 - fraction), fraction);
            end += fraction + 1;
        }
        text[end] = 'Z';
        return end + 1;
    }

    public static Instant parse(String text) {
        int length = text.length();
        if (length < 20 || length > 30 || length == 21 || text.charAt(4) != '-' || text.charAt(7) != '-'
                || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':'
                || text.charAt(length - 1) != 'Z' || (length > 20 && text.charAt(19) != '.')) {
            return Instant.parse(text);
        }
        int year = number(text, 0, 4);
        int month = number(text, 5, 2);
        int day = number(text, 8, 2);
        int hour = number(text, 11, 2);
        int minute = number(text, 14, 2);
        int second = number(text, 17, 2);
        int nanos = 0;
        if (length > 20) {
            int fraction = length - 21;
            nanos = number(text, 20, fraction);
            nanos = nanos < 0 ? -1 : nanos * pow10(9 - fraction);
        }
        if (year < 1000 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23
                || minute < 0 || minute > 59 || second < 0 || second > 59 || nanos < 0
                || day > LocalDate.of(year, month, 1).lengthOfMonth()) {
            return Instant.parse(text); // not a plain UTC time: the JDK parses it or says why not
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second, nanos);
    }

    private static void digits(byte[] text, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    /** The decimal number of {@code width} ASCII digits at {@code at}, or -1 if one is not a digit. */
    private static int number(String text, int at, int width) {
        int value = 0;
        for (int i = at; i < at + width; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static int pow10(int exponent) {
        int value = 1;
        for (int i = 0; i < exponent; i++) {
            value *= 10;
        }
        return value;
    }
}
