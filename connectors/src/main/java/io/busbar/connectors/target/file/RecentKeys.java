package io.busbar.connectors.target.file;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * The last {@code capacity} reading keys a file target wrote, kept as 64-bit FNV-1a hashes so a
 * few hundred thousand cost a few MB. A replay after a crash (the batch written but not yet
 * acknowledged, or readings read again from history) then does not append a key twice.
 */
final class RecentKeys {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final int capacity;
    private final Set<Long> present = new HashSet<>();
    private final ArrayDeque<Long> order = new ArrayDeque<>();

    RecentKeys(int capacity) {
        this.capacity = capacity;
    }

    boolean contains(String key) {
        return present.contains(hash(key));
    }

    void add(String key) {
        long hash = hash(key);
        if (present.add(hash)) {
            order.addLast(hash);
            if (order.size() > capacity) {
                present.remove(order.removeFirst());
            }
        }
    }

    int size() {
        return order.size();
    }

    static long hash(String key) {
        long hash = FNV_OFFSET;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        return hash;
    }
}
