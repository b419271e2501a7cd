package io.busbar.mappings.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class ModbusAddressTest {

    @Test
    void parsesTheMappingForm_andWritesItBack() {
        ModbusAddress address = ModbusAddress.parse("modbus:unit=17;ir=3000;type=uint64;words=low-first").orElseThrow();
        assertThat(address).isEqualTo(new ModbusAddress(17, ModbusAddress.Table.INPUT, 3000, ModbusAddress.Type.UINT64, true));
        assertThat(address.lastRegister()).isEqualTo(3003);
        assertThat(address.toString()).isEqualTo("modbus:unit=17;ir=3000;type=uint64;words=low-first");
        assertThat(ModbusAddress.parse("modbus:unit=1;hr=0;type=int16").orElseThrow().lowWordFirst()).isFalse();
    }

    @Test
    void malformedAddresses_areRefused() {
        assertThat(ModbusAddress.parse("modbus:unit=256;hr=0;type=int16")).isEmpty();
        assertThat(ModbusAddress.parse("modbus:unit=1;hr=65535;type=uint32")).as("runs past the last register").isEmpty();
        assertThat(ModbusAddress.parse("modbus:unit=1;coil=1;type=int16")).isEmpty();
        assertThat(ModbusAddress.parse("modbus:unit=1;hr=1;type=double")).isEmpty();
        assertThat(ModbusAddress.parse("modbus:unit=1;hr=1;type=int16;words=middle")).isEmpty();
        assertThat(ModbusAddress.isModbus("ns=2;s=Meter001.Energy")).isFalse();
    }

    @Test
    void decodesEachType_inBothWordOrders() {
        byte[] block = {0x00, 0x00, // register 10: not part of the value
                0x12, 0x34, 0x56, 0x78, (byte) 0x9A, (byte) 0xBC, (byte) 0xDE, (byte) 0xF0};
        assertThat(address(ModbusAddress.Type.INT16, false).decode(block, 10)).isEqualTo(0x1234);
        assertThat(at(13, ModbusAddress.Type.INT16).decode(block, 10)).isEqualTo((int) (short) 0x9ABC);
        assertThat(at(13, ModbusAddress.Type.UINT16).decode(block, 10)).isEqualTo(0x9ABC);
        assertThat(address(ModbusAddress.Type.INT32, false).decode(block, 10)).isEqualTo(0x12345678);
        assertThat(address(ModbusAddress.Type.INT32, true).decode(block, 10)).isEqualTo(0x56781234);
        assertThat(at(13, ModbusAddress.Type.UINT32).decode(block, 10)).isEqualTo(0x9ABCDEF0L);
        assertThat(address(ModbusAddress.Type.INT64, false).decode(block, 10)).isEqualTo(0x123456789ABCDEF0L);
        assertThat(address(ModbusAddress.Type.INT64, true).decode(block, 10)).isEqualTo(0xDEF09ABC56781234L);
        assertThat(address(ModbusAddress.Type.UINT64, true).decode(block, 10))
                .isEqualTo(new BigInteger("DEF09ABC56781234", 16));
        byte[] floats = {0x41, 0x20, 0x00, 0x00}; // 10.0f high word first
        assertThat(new ModbusAddress(1, ModbusAddress.Table.HOLDING, 0, ModbusAddress.Type.FLOAT32, false).decode(floats, 0))
                .isEqualTo(10.0f);
        byte[] swapped = {0x00, 0x00, 0x41, 0x20};
        assertThat(new ModbusAddress(1, ModbusAddress.Table.HOLDING, 0, ModbusAddress.Type.FLOAT32, true).decode(swapped, 0))
                .isEqualTo(10.0f);
    }

    private static ModbusAddress address(ModbusAddress.Type type, boolean lowFirst) {
        return new ModbusAddress(1, ModbusAddress.Table.HOLDING, 11, type, lowFirst);
    }

    private static ModbusAddress at(int register, ModbusAddress.Type type) {
        return new ModbusAddress(1, ModbusAddress.Table.HOLDING, register, type, false);
    }
}
