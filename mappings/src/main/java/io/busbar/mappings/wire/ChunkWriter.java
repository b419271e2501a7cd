package io.busbar.mappings.wire;

import io.busbar.mappings.model.Decimals;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Writes the primitives of {@link ReadingChunkCodec}'s layout into a growing byte array. */
final class ChunkWriter {
    private byte[] buf;
    private int pos;
    private final Map<String, Integer> texts = new HashMap<>();

    ChunkWriter(int capacity) {
        buf = new byte[capacity];
    }

    private void room(int n) {
        if (pos + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
        }
    }

    void u8(int b) {
        room(1);
        buf[pos++] = (byte) b;
    }

    void varlong(long v) {
        room(10);
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    void zigzag(long v) {
        varlong((v << 1) ^ (v >> 63));
    }

    void str(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        varlong(bytes.length);
        room(bytes.length);
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
    }

    void ref(String s) {
        if (s == null) {
            u8(0);
            return;
        }
        Integer index = texts.get(s);
        if (index != null) {
            varlong(index + 2L);
            return;
        }
        texts.put(s, texts.size());
        u8(1);
        str(s);
    }

    void list(List<String> values) {
        varlong(values.size());
        for (String value : values) {
            ref(value);
        }
    }

    void decimal(BigDecimal d) {
        if (d == null) {
            u8(0);
            return;
        }
        if (Decimals.fitsLong(d)) {
            compactDecimal(Decimals.unscaledLong(d), d.scale());
            return;
        }
        BigInteger unscaled = d.unscaledValue(); // 19 digits or more: a long only up to 2^63
        if (unscaled.bitLength() < 64) {
            compactDecimal(unscaled.longValue(), d.scale());
        } else {
            u8(2);
            str(d.toString());
        }
    }

    private void compactDecimal(long unscaled, int scale) {
        u8(1);
        zigzag(unscaled);
        zigzag(scale);
    }

    void time(Instant t) {
        zigzag(t.getEpochSecond());
        varlong(t.getNano());
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }
}
