package io.busbar.routes.uplink;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.connectors.uplink.Uplink;
import io.busbar.mappings.Mapping;
import io.busbar.mappings.MappingOutcome;
import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.Register;
import io.busbar.mappings.model.ServerRole;
import io.busbar.mappings.model.UplinkAddress;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one uplink's decoded object into readings: each register of the device (mapped by
 * {@code uplink:<EUI><JSON pointer>}) takes the number at its pointer, stamped with the uplink's
 * time (the device's or the gateway's, never Busbar's). A register whose value is missing, not a
 * number or not finite is a problem with a reason; the device's other registers still map.
 */
public final class UplinkMapper {

    /** The readings of an uplink, and why some of its registers gave none. */
    public record Mapped(List<Reading> readings, List<String> problems) {
    }

    private final Mapping mapping;
    private final Map<String, List<Register>> registersByDevice = new HashMap<>();

    public UplinkMapper(Mapping mapping) {
        this.mapping = mapping;
        for (Register register : mapping.registers()) {
            UplinkAddress.parse(register.nodeId()).ifPresent(address ->
                    registersByDevice.computeIfAbsent(address.device(), d -> new ArrayList<>()).add(register));
        }
    }

    /** The devices the mapping knows. */
    public int devices() {
        return registersByDevice.size();
    }

    /** Every mapped device (EUI) with the meters read from it. */
    public Map<String, List<String>> metersByDevice() {
        Map<String, List<String>> meters = new HashMap<>();
        registersByDevice.forEach((device, registers) ->
                meters.put(device, registers.stream().map(Register::meter).distinct().toList()));
        return meters;
    }

    public Mapped map(Uplink uplink) {
        List<Register> registers = registersByDevice.get(uplink.device());
        if (registers == null) {
            return new Mapped(List.of(), List.of("device " + uplink.device() + " (" + uplink.deviceName()
                    + ") is not in the mapping"));
        }
        List<Reading> readings = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Register register : registers) {
            String pointer = UplinkAddress.parse(register.nodeId()).orElseThrow().pointer();
            JsonNode value = uplink.decoded().at(pointer);
            Object raw;
            if (value.isMissingNode() || value.isNull()) {
                problems.add(register.meter() + " " + register.quantity() + ": no value at " + pointer
                        + " in the decoded payload");
                continue;
            } else if (value.isNumber()) {
                raw = value.decimalValue();
            } else {
                raw = value.asText(); // text, boolean, object: the mapping names why it is not a number
            }
            MappingOutcome outcome = mapping.map(ServerRole.PRIMARY,
                    new RawSample(register.nodeId(), raw instanceof BigDecimal ? raw : describe(value), uplink.time(),
                            null, 0));
            if (outcome instanceof MappingOutcome.Mapped mapped) {
                readings.add(mapped.reading());
            } else if (outcome instanceof MappingOutcome.Unmappable bad) {
                problems.add(register.meter() + " " + register.quantity() + " at " + pointer + ": " + bad.reason());
            }
        }
        return new Mapped(readings, problems);
    }

    /** A non-number as itself (text such as "NaN" stays text), so the mapping's reason names its type. */
    private static Object describe(JsonNode value) {
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }
}
