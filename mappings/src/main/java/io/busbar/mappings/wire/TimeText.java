package io.busbar.mappings.wire;

import io.busbar.mappings.model.IsoInstant;
import java.time.Instant;

/**
 * One time field of the JSON wire format ({@code sourceTime} or {@code serverTime}) as its quoted
 * text, {@link Instant#toString()} between quotes, remembering what the next reading likely
 * repeats: the last instant (the readings of a publish share their source time) and the last
 * second's date and time of day (server times differ per reading, by microseconds, within the same
 * second: then only the fraction is written). Not thread-safe: one per writer.
 */
final class TimeText {

    /** The longest text {@link #write} gives on its fast path: the quoted time. */
    static final int MAX_LENGTH = IsoInstant.MAX_LENGTH + 2;

    private Instant lastTime;
    private final byte[] lastText = new byte[MAX_LENGTH];
    private int lastLength;

    private long lastSecond;
    /** The opening quote and {@link IsoInstant#secondInto}'s text of {@link #lastSecond}; empty until then. */
    private final byte[] secondText = new byte[1 + IsoInstant.SECOND_LENGTH];
    private boolean haveSecond;

    /**
     * Writes the quoted time at {@code at} ({@link #MAX_LENGTH} bytes of room needed).
     *
     * @return the index after it, or -1 (nothing remembered) for a time outside years 1000-9999,
     *         whose text the caller takes from {@link Instant#toString()}
     */
    int write(byte[] buf, int at, Instant time) {
        if (time.equals(lastTime)) {
            System.arraycopy(lastText, 0, buf, at, lastLength);
            return at + lastLength;
        }
        long second = time.getEpochSecond();
        if (!haveSecond || second != lastSecond) {
            if (IsoInstant.secondInto(secondText, 1, second) < 0) {
                return -1;
            }
            secondText[0] = '"';
            lastSecond = second;
            haveSecond = true;
        }
        System.arraycopy(secondText, 0, buf, at, secondText.length);
        int end = IsoInstant.fractionInto(buf, at + secondText.length, time.getNano());
        buf[end++] = '"';
        lastLength = end - at;
        System.arraycopy(buf, at, lastText, 0, lastLength);
        lastTime = time;
        return end;
    }
}
