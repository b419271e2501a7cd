package io.busbar.mappings.model;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a Modbus TCP meter keeps a value, written in a mapping's {@code node} as
 * {@code modbus:unit=1;hr=100;type=uint32[;words=low-first]}: the unit id behind the gateway, the
 * table ({@code hr} holding registers, function 3; {@code ir} input registers, function 4) and the
 * 0-based register address, the value's type, and the order of its 16-bit words. Meters disagree on
 * word order (the Modbus spec says nothing about values wider than a register): {@code high-first}
 * (the default, "big-endian") or {@code low-first} ("word-swapped"). The bytes inside a register are
 * always big-endian. The mapping's {@code scale} and {@code offset} apply to the decoded value.
 *
 * @param unit       the unit (slave) id, 0..255
 * @param table      holding or input registers
 * @param address    the first register, 0..65535
 * @param type       how the registers decode
 * @param lowWordFirst whether the least significant 16-bit word comes first
 */
public record ModbusAddress(int unit, Table table, int address, Type type, boolean lowWordFirst) {

    public static final String PREFIX = "modbus:";
    public static final String EXPECTED = "must be a Modbus address such as modbus:unit=1;hr=100;type=uint32"
            + " (unit 0..255, hr or ir register 0..65535, type int16|uint16|int32|uint32|float32|int64|uint64|float64,"
            + " optional words=high-first|low-first)";

    private static final Pattern TEXT = Pattern.compile(
            "^modbus:unit=(?<unit>\\d{1,3});(?<table>hr|ir)=(?<address>\\d{1,5});type=(?<type>[a-z0-9]+)"
                    + "(?:;words=(?<words>high-first|low-first))?$");

    /** The register tables a meter's values are read from. */
    public enum Table {
        HOLDING, INPUT
    }

    /** The value types energy meters use, with their width in 16-bit registers. */
    public enum Type {
        INT16(1), UINT16(1), INT32(2), UINT32(2), FLOAT32(2), INT64(4), UINT64(4), FLOAT64(4);

        private final int registers;

        Type(int registers) {
            this.registers = registers;
        }

        public int registers() {
            return registers;
        }
    }

    public ModbusAddress {
        if (unit < 0 || unit > 255) {
            throw new IllegalArgumentException("unit must be 0..255, was " + unit);
        }
        if (address < 0 || address + type.registers() - 1 > 0xFFFF) {
            throw new IllegalArgumentException("register " + address + " (" + type.registers()
                    + " registers) is outside 0..65535");
        }
    }

    /** Whether a mapping node means a Modbus register (well formed or not). */
    public static boolean isModbus(String node) {
        return node != null && node.startsWith(PREFIX);
    }

    /** The address, or empty when the text is not a valid one ({@link #EXPECTED} says what is). */
    public static Optional<ModbusAddress> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = TEXT.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        Type type;
        try {
            type = Type.valueOf(m.group("type").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ModbusAddress(Integer.parseInt(m.group("unit")),
                    m.group("table").equals("hr") ? Table.HOLDING : Table.INPUT, Integer.parseInt(m.group("address")),
                    type, "low-first".equals(m.group("words"))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The last register this value occupies. */
    public int lastRegister() {
        return address + type.registers() - 1;
    }

    /**
     * Decodes the value from registers read as one block.
     *
     * @param block      the registers' bytes as the response carries them (2 per register, big-endian)
     * @param firstInBlock the register address of {@code block[0..1]}
     * @return Integer (int16, uint16, int32), Long (uint32, int64), BigInteger (uint64), Float or Double
     */
    public Number decode(byte[] block, int firstInBlock) {
        int from = (address - firstInBlock) * 2;
        int words = type.registers();
        if (from < 0 || from + words * 2 > block.length) {
            throw new IllegalArgumentException(this + " is not inside the block read from register " + firstInBlock);
        }
        byte[] bytes = new byte[words * 2];
        for (int w = 0; w < words; w++) {
            int source = lowWordFirst ? words - 1 - w : w; // bytes[] ends up high word first
            bytes[w * 2] = block[from + source * 2];
            bytes[w * 2 + 1] = block[from + source * 2 + 1];
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return switch (type) {
            case INT16 -> (int) buffer.getShort();
            case UINT16 -> Short.toUnsignedInt(buffer.getShort());
            case INT32 -> buffer.getInt();
            case UINT32 -> Integer.toUnsignedLong(buffer.getInt());
            case FLOAT32 -> buffer.getFloat();
            case INT64 -> buffer.getLong();
            case UINT64 -> new BigInteger(1, bytes);
            case FLOAT64 -> buffer.getDouble();
        };
    }

    /** The text form a mapping writes. */
    @Override
    public String toString() {
        return PREFIX + "unit=" + unit + ";" + (table == Table.HOLDING ? "hr" : "ir") + "=" + address + ";type="
                + type.name().toLowerCase(Locale.ROOT) + (lowWordFirst ? ";words=low-first" : "");
    }
}
