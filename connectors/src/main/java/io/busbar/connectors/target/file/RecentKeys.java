package io.busbar.connectors.target.file;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The last {@code capacity} reading keys a file target wrote, kept as 64-bit FNV-1a hashes so a
 * few hundred thousand cost a few MB. A replay after a crash (the batch written but not yet
 * acknowledged, or readings read again from history) then does not append a key twice.
 *
 * <p>Primitive arrays, not a {@code HashSet<Long>}: boxing every hash and the set's entries were
 * a third of a central's delivery thread at 10,000 readings/s ({@code SiteScaleBench}). The hashes
 * live in an open-addressing table (linear probing, deletion by shifting back) at most half full,
 * and in a ring that says which one is the oldest.
 *
 * <p>Both start small and double as keys come, up to the capacity: preallocated for 500,000 keys
 * they were 12 MB of heap (an 8 MB and a 4 MB array) in every Busbar with a file target, the
 * largest objects of an idle {@code busbar run} of 20 meters (issue 12: idle ≤ 300 MB RSS).
 */
final class RecentKeys {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    /** The table's mark of an empty slot; a key hashing to it is kept as {@link #ZERO_STAND_IN}. */
    private static final long EMPTY = 0;
    private static final long ZERO_STAND_IN = FNV_OFFSET;

    /** Keys the ring holds before its first growth. */
    static final int INITIAL_KEYS = 1024;

    private final int capacity;
    private long[] ring;
    private long[] table;
    private int mask;
    private int oldest;
    private int size;

    RecentKeys(int capacity) {
        this.capacity = Math.max(1, capacity);
        this.ring = new long[Math.min(this.capacity, INITIAL_KEYS)];
        this.table = new long[tableLength(ring.length)];
        this.mask = table.length - 1;
    }

    /** A power of two at least twice the keys, so the table stays at most half full. */
    private static int tableLength(int keys) {
        return Integer.highestOneBit(Math.max(2, keys) * 2 - 1) * 2;
    }

    boolean contains(String key) {
        return contains(hash(key));
    }

    boolean contains(long hash) {
        long stored = stored(hash);
        for (int slot = slot(stored); ; slot = (slot + 1) & mask) {
            if (table[slot] == stored) {
                return true;
            }
            if (table[slot] == EMPTY) {
                return false;
            }
        }
    }

    void add(String key) {
        add(hash(key));
    }

    void add(long hash) {
        long stored = stored(hash);
        int slot = slot(stored);
        while (table[slot] != EMPTY) {
            if (table[slot] == stored) {
                return;
            }
            slot = (slot + 1) & mask;
        }
        if (size == ring.length && size < capacity) {
            grow();
            slot = free(slot(stored));
        }
        if (size == ring.length) {
            remove(ring[oldest]);
            ring[oldest] = stored;
            oldest = (oldest + 1) % ring.length;
            slot = free(slot(stored));
        } else {
            ring[(oldest + size) % ring.length] = stored;
            size++;
        }
        table[slot] = stored;
    }

    int size() {
        return size;
    }

    /** Keys it can hold before it must grow (or, at the capacity, forget the oldest). */
    int allocatedKeys() {
        return ring.length;
    }

    /**
     * Doubles the ring (up to the capacity) and rehashes the table. Only called while nothing was
     * forgotten yet, so the ring is full from index 0 in insertion order and stays so.
     */
    private void grow() {
        ring = Arrays.copyOf(ring, (int) Math.min(capacity, 2L * ring.length));
        table = new long[tableLength(ring.length)];
        mask = table.length - 1;
        for (int i = 0; i < size; i++) {
            table[free(slot(ring[i]))] = ring[i];
        }
    }

    /** The same hash as before the primitive table (FNV-1a of the key's UTF-8), without encoding an ASCII key. */
    static long hash(String key) {
        long hash = FNV_OFFSET;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c >= 0x80) {
                return utf8Hash(key);
            }
            hash ^= c;
            hash *= FNV_PRIME;
        }
        return hash;
    }

    private static long utf8Hash(String key) {
        long hash = FNV_OFFSET;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        return hash;
    }

    private static long stored(long hash) {
        return hash == EMPTY ? ZERO_STAND_IN : hash;
    }

    private int slot(long stored) {
        // the low bits of FNV-1a are its weakest: mix the high ones in
        return (int) (stored ^ (stored >>> 29) ^ (stored >>> 47)) & mask;
    }

    private int free(int slot) {
        while (table[slot] != EMPTY) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    /** Deletes a hash and shifts back the ones that probed past it, so every lookup still finds its own. */
    private void remove(long stored) {
        int slot = slot(stored);
        while (table[slot] != stored) {
            if (table[slot] == EMPTY) {
                return;
            }
            slot = (slot + 1) & mask;
        }
        int hole = slot;
        for (int next = (hole + 1) & mask; table[next] != EMPTY; next = (next + 1) & mask) {
            int home = slot(table[next]);
            // the entry at next may move into the hole when its home is not in (hole, next]
            boolean homeBetween = hole <= next ? (home > hole && home <= next) : (home > hole || home <= next);
            if (!homeBetween) {
                table[hole] = table[next];
                table[next] = EMPTY;
                hole = next;
            }
        }
        table[hole] = EMPTY;
    }
}
