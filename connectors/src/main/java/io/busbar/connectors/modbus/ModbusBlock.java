package io.busbar.connectors.modbus;

import io.busbar.mappings.model.ModbusAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Registers of one unit and table read with one request: neighbouring values share a read, so 100
 * meters behind a gateway cost one request each rather than one per value.
 *
 * @param unit   the unit id
 * @param table  holding or input registers
 * @param first  the first register read
 * @param count  how many registers are read
 * @param values the mapped values inside the block, with their node ids
 */
record ModbusBlock(int unit, ModbusAddress.Table table, int first, int count, Map<String, ModbusAddress> values) {

    /** The most registers one read may return (Modbus application protocol, function 3 and 4). */
    static final int MAX_REGISTERS = 125;
    /** Unmapped registers a block may span between two values rather than start a new read. */
    static final int MAX_GAP = 8;

    /** Groups the addresses into as few reads as the limits allow, in unit, table and address order. */
    static List<ModbusBlock> plan(Map<String, ModbusAddress> addresses) {
        List<Map.Entry<String, ModbusAddress>> sorted = new ArrayList<>(addresses.entrySet());
        sorted.sort(Comparator.comparing((Map.Entry<String, ModbusAddress> e) -> e.getValue().unit())
                .thenComparing(e -> e.getValue().table())
                .thenComparing(e -> e.getValue().address()));
        List<ModbusBlock> blocks = new ArrayList<>();
        Map<String, ModbusAddress> current = new LinkedHashMap<>();
        ModbusAddress start = null;
        int last = -1;
        for (Map.Entry<String, ModbusAddress> entry : sorted) {
            ModbusAddress address = entry.getValue();
            boolean fits = start != null && address.unit() == start.unit() && address.table() == start.table()
                    && address.address() - last - 1 <= MAX_GAP
                    && Math.max(last, address.lastRegister()) - start.address() + 1 <= MAX_REGISTERS;
            if (!fits && start != null) {
                blocks.add(new ModbusBlock(start.unit(), start.table(), start.address(), last - start.address() + 1, current));
                current = new LinkedHashMap<>();
                start = null;
            }
            if (start == null) {
                start = address;
                last = address.lastRegister();
            }
            current.put(entry.getKey(), address);
            last = Math.max(last, address.lastRegister());
        }
        if (start != null) {
            blocks.add(new ModbusBlock(start.unit(), start.table(), start.address(), last - start.address() + 1, current));
        }
        return blocks;
    }
}
