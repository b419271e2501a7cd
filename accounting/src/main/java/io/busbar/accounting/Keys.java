package io.busbar.accounting;

import io.busbar.mappings.accounting.IntervalLength;
import io.busbar.mappings.model.ReadingKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Keys and quantity codes of what accounting emits.
 *
 * <p>A derived reading's quantity is the register's with the interval length after an {@code @}:
 * {@code 1-0:1.8.0@15min} is the consumption of register {@code 1-0:1.8.0} over a quarter hour.
 * Its source time is the interval's end.
 *
 * <p>Keys: {@code <pair>/<meter>/<quantity>/<end>#<revision>}, the reading key plus a revision, an
 * 8-hex digest of what the interval says (value, status, flags). Computing the same interval from
 * the same readings again (a replay, a restart, the CLI run twice) gives the same key, so a target
 * that drops keys it has seen never doubles it. Late data that changes the interval (the real
 * register arriving after an estimate, a correction) gives a new revision: the new value is
 * delivered, and a target keeps one value per interval by replacing on the key without its
 * revision, i.e. on (pair, meter, quantity, source time) — what the SQL historian's unique key is.
 * Events work the same way: {@code <pair>/<group>/<quantity>/<end>/<type>#<revision>}; an event
 * withdrawn after late data has the same key with the revision {@link #WITHDRAWN_REVISION}.
 */
public final class Keys {

    /** The revision of every withdrawal: a withdrawn event is withdrawn once, whatever the interval's figures now. */
    public static final String WITHDRAWN_REVISION = revision("withdrawn");

    private Keys() {
    }

    public static String derivedQuantity(String registerQuantity, IntervalLength length) {
        return registerQuantity + '@' + length.wireName();
    }

    public static String reading(String pair, String meter, String quantity, Instant end, String content) {
        return ReadingKey.of(pair, meter, quantity, end) + '#' + revision(content);
    }

    public static String event(String pair, String group, String quantity, Instant end, AccountingEvent.Type type, String content) {
        return ReadingKey.of(pair, group, quantity, end) + '/' + type.wireName() + '#' + revision(content);
    }

    /** The key of the withdrawal of an event with this identity. */
    public static String withdrawal(String pair, String group, String quantity, Instant end, AccountingEvent.Type type) {
        return ReadingKey.of(pair, group, quantity, end) + '/' + type.wireName() + '#' + WITHDRAWN_REVISION;
    }

    /** The part of a key before its revision. */
    public static String withoutRevision(String key) {
        int hash = key.lastIndexOf('#');
        return hash < 0 ? key : key.substring(0, hash);
    }

    static String revision(String content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
