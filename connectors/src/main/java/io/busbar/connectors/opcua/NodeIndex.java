package io.busbar.connectors.opcua;

/**
 * Where each node id of a fixed list stands in it: an open-addressing table of ints instead of a map
 * entry (40 B and a table slot) per node. A subscription of 50,000 nodes per server looks a node up
 * only when asked to create items again; it held a LinkedHashMap of every node for that.
 */
final class NodeIndex {

    private final String[] keys;
    /** Position + 1 of the key hashed to each slot (linear probing); 0 for an empty slot. */
    private final int[] slots;

    /** @param keys distinct node ids; the array is kept, not copied */
    NodeIndex(String[] keys) {
        this.keys = keys;
        int size = Integer.highestOneBit(Math.max(2, keys.length * 2 - 1)) << 1; // load factor ≤ 1/2
        this.slots = new int[size];
        for (int i = 0; i < keys.length; i++) {
            int slot = slot(keys[i]);
            while (slots[slot] != 0) {
                slot = (slot + 1) & (slots.length - 1);
            }
            slots[slot] = i + 1;
        }
    }

    /** The position of {@code key}, or -1 when it is not one of the keys. */
    int indexOf(String key) {
        for (int slot = slot(key); slots[slot] != 0; slot = (slot + 1) & (slots.length - 1)) {
            int index = slots[slot] - 1;
            if (keys[index].equals(key)) {
                return index;
            }
        }
        return -1;
    }

    private int slot(String key) {
        int h = key.hashCode();
        return (h ^ (h >>> 16)) & (slots.length - 1);
    }
}
