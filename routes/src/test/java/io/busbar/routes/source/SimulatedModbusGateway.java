package io.busbar.routes.source;

import io.busbar.support.FreePorts;
import com.digitalpetri.modbus.ExceptionCode;
import com.digitalpetri.modbus.FunctionCode;
import com.digitalpetri.modbus.exceptions.ModbusResponseException;
import com.digitalpetri.modbus.pdu.ReadHoldingRegistersRequest;
import com.digitalpetri.modbus.pdu.ReadHoldingRegistersResponse;
import com.digitalpetri.modbus.server.ModbusRequestContext;
import com.digitalpetri.modbus.server.ModbusServices;
import com.digitalpetri.modbus.server.ModbusTcpServer;
import com.digitalpetri.modbus.tcp.server.NettyTcpServerTransport;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real Modbus TCP server (digitalpetri's server side) standing for a gateway with meters behind it
 * as units 1..N. Each unit holds, in holding registers:
 * <ul>
 *   <li>0..1: the energy counter in Wh, uint32, low word first: {@link #energyWh(int, long)} of the
 *       cycle slot the read falls in, so two gateways read in the same slot answer the same;</li>
 *   <li>2..3: the power in kW, float32, high word first: {@code unit × 1.5}.</li>
 * </ul>
 * {@link #hang(boolean)} makes it keep the connection but answer nothing; {@link #stop()} cuts it;
 * {@link #silence(int, boolean)} makes one meter behind it stop answering.
 */
final class SimulatedModbusGateway implements AutoCloseable {

    private final int port;
    private final int units;
    private final Duration cycle;
    private final AtomicBoolean hung = new AtomicBoolean();
    /** Units whose meter does not answer: the gateway says so (exception 0x0B), as a serial gateway does. */
    private final java.util.Set<Integer> silentUnits = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private ModbusTcpServer server;

    SimulatedModbusGateway(int units, Duration cycle) {
        this(FreePorts.free(), units, cycle);
    }

    SimulatedModbusGateway(int port, int units, Duration cycle) {
        this.port = port;
        this.units = units;
        this.cycle = cycle;
    }

    static long energyWh(int unit, long slotIndex) {
        return unit * 1_000_000L + slotIndex;
    }

    int port() {
        return port;
    }

    String endpoint() {
        return "modbus-tcp://127.0.0.1:" + port;
    }

    void start() throws Exception {
        NettyTcpServerTransport transport = NettyTcpServerTransport.create(config -> {
            config.bindAddress = "127.0.0.1";
            config.port = port;
        });
        server = ModbusTcpServer.create(transport, new ModbusServices() {
            @Override
            public ReadHoldingRegistersResponse readHoldingRegisters(ModbusRequestContext context, int unitId,
                                                                     ReadHoldingRegistersRequest request)
                    throws ModbusResponseException {
                while (hung.get()) {
                    sleep(); // the connection stays open; the answer never comes
                }
                if (silentUnits.contains(unitId)) {
                    throw new ModbusResponseException(FunctionCode.READ_HOLDING_REGISTERS,
                            ExceptionCode.GATEWAY_TARGET_DEVICE_FAILED_TO_RESPONSE);
                }
                if (unitId < 1 || unitId > units || request.address() + request.quantity() > 4) {
                    throw new ModbusResponseException(FunctionCode.READ_HOLDING_REGISTERS, ExceptionCode.ILLEGAL_DATA_ADDRESS);
                }
                return new ReadHoldingRegistersResponse(registers(unitId, request.address(), request.quantity()));
            }
        });
        server.start();
    }

    private byte[] registers(int unit, int address, int quantity) {
        long millis = cycle.toMillis();
        long slot = Math.floorDiv(System.currentTimeMillis(), millis); // the slot the read falls in
        int energy = (int) energyWh(unit, slot);
        ByteBuffer all = ByteBuffer.allocate(8);
        all.putShort((short) energy).putShort((short) (energy >>> 16)); // low word first
        all.putFloat(unit * 1.5f);
        byte[] out = new byte[quantity * 2];
        System.arraycopy(all.array(), address * 2, out, 0, out.length);
        return out;
    }

    void hang(boolean hang) {
        hung.set(hang);
    }

    /** The meter at {@code unit} stops (true) or starts again (false) answering behind the gateway. */
    void silence(int unit, boolean silent) {
        if (silent) {
            silentUnits.add(unit);
        } else {
            silentUnits.remove(unit);
        }
    }

    void stop() throws Exception {
        hung.set(false);
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
