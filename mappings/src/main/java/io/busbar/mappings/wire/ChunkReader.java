package io.busbar.mappings.wire;

import io.busbar.mappings.model.ReadingKey;
import io.busbar.mappings.model.TimeTexts;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the primitives of {@link ReadingChunkCodec}'s layout; every malformed length, code or
 * reference is an {@link IllegalArgumentException} naming the byte.
 */
final class ChunkReader {
    private final byte[] buf;
    /** The next byte to read; the codec names it when a chunk is cut short. */
    int pos;
    private final List<String> texts = new ArrayList<>();
    /** The last instant read: a chunk's readings share a few source times, so most are reused. */
    private Instant lastTime = Instant.EPOCH;
    ChunkReader(byte[] buf, int pos) {
        this.buf = buf;
        this.pos = pos;
    }

    int u8() {
        return buf[pos++] & 0xFF;
    }

    long varlong() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = buf[pos++];
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
        }
        throw new IllegalArgumentException("malformed varint at byte " + pos);
    }

    long zigzag() {
        long v = varlong();
        return (v >>> 1) ^ -(v & 1);
    }

    String str() {
        long length = varlong();
        if (length < 0 || length > buf.length - pos) {
            throw new IllegalArgumentException("text of " + length + " bytes runs past the chunk at byte " + pos);
        }
        String s = new String(buf, pos, (int) length, StandardCharsets.UTF_8);
        pos += (int) length;
        return s;
    }

    /** A key written out, or null for the derived one ({@link #derivedKey}, once the other fields are read). */
    String key() {
        int kind = u8();
        return switch (kind) {
            case 0 -> null;
            case 1 -> str();
            default -> throw new IllegalArgumentException("unknown key kind " + kind + " at byte " + pos);
        };
    }

    /** The key {@link ReadingKey} derives from the reading's other fields. */
    String derivedKey(String pair, String meter, String quantity, Instant sourceTime) {
        if (pair == null || meter == null || quantity == null || sourceTime == null) {
            throw new IllegalArgumentException("a derived key needs pair, meter, quantity and source time (byte "
                    + pos + ")");
        }
        return ReadingKey.of(pair, meter, quantity, TimeTexts.SHARED.of(sourceTime));
    }

    String ref() {
        long code = varlong();
        if (code == 0) {
            return null;
        }
        if (code == 1) {
            String s = str();
            texts.add(s);
            return s;
        }
        if (code - 2 >= texts.size()) {
            throw new IllegalArgumentException("reference to text " + (code - 2) + " of " + texts.size()
                    + " at byte " + pos);
        }
        return texts.get((int) (code - 2));
    }

    List<String> list() {
        long n = varlong();
        if (n == 0) {
            return List.of();
        }
        if (n < 0 || n > buf.length - pos) {
            throw new IllegalArgumentException("list of " + n + " texts runs past the chunk at byte " + pos);
        }
        String[] values = new String[(int) n];
        for (int i = 0; i < n; i++) {
            values[i] = ref();
        }
        return Arrays.asList(values);
    }

    BigDecimal decimal() {
        int kind = u8();
        return switch (kind) {
            case 0 -> null;
            case 1 -> {
                long unscaled = zigzag();
                long scale = zigzag();
                if (scale != (int) scale) {
                    throw new IllegalArgumentException("decimal scale " + scale + " out of range at byte " + pos);
                }
                yield BigDecimal.valueOf(unscaled, (int) scale);
            }
            case 2 -> new BigDecimal(str());
            default -> throw new IllegalArgumentException("unknown decimal kind " + kind + " at byte " + pos);
        };
    }

    Instant time() {
        long seconds = zigzag();
        long nanos = varlong();
        Instant last = lastTime;
        if (last.getEpochSecond() == seconds && last.getNano() == nanos) {
            return last;
        }
        if (nanos < 0 || nanos > 999_999_999L) {
            throw new IllegalArgumentException("nanoseconds " + nanos + " out of range at byte " + pos);
        }
        lastTime = Instant.ofEpochSecond(seconds, nanos);
        return lastTime;
    }
}
