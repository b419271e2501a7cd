package io.busbar.connectors.uplink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Reads the uplink JSON of the two common LoRaWAN network servers: ChirpStack v4 ({@code
 * application/<id>/device/<devEui>/event/up}: {@code deviceInfo}, {@code fCnt}, {@code time},
 * {@code object}) and The Things Stack v3 ({@code v3/<app>@<tenant>/devices/<id>/up}: {@code
 * end_device_ids}, {@code uplink_message.f_cnt}, {@code rx_metadata[].time}, {@code
 * decoded_payload}). Never uses the time Busbar received the message: a reading is stamped with the
 * device's own time (a JSON pointer into the decoded object) or the gateway's receive time.
 */
public final class UplinkParser {

    /** Where a reading's time comes from. */
    public enum TimeSource {
        /** The device's own time, at a JSON pointer into the decoded object. */
        DEVICE,
        /** The earliest gateway receive time of the uplink. */
        GATEWAY
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TimeSource timeSource;
    private final String deviceTimePointer;

    /** @param deviceTimePointer the JSON pointer of the device's time in the decoded object (DEVICE only) */
    public UplinkParser(TimeSource timeSource, String deviceTimePointer) {
        this.timeSource = timeSource;
        this.deviceTimePointer = deviceTimePointer;
        if (timeSource == TimeSource.DEVICE && (deviceTimePointer == null || !deviceTimePointer.startsWith("/"))) {
            throw new IllegalArgumentException("a device time needs a JSON pointer such as /time");
        }
    }

    /**
     * A parser that never fails for want of a time, for {@code discover uplinks}: an uplink's time is
     * the earliest gateway receive time when there is one, else null.
     */
    public static UplinkParser ignoringTime() {
        return new UplinkParser(null, null);
    }

    public Uplink parse(byte[] payload) throws BadUplinkException {
        JsonNode root;
        try {
            root = JSON.readTree(payload);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BadUplinkException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadUplinkException("not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new BadUplinkException("not a JSON object");
        }
        if (root.has("deviceInfo")) {
            return chirpStack(root);
        }
        if (root.has("uplink_message")) {
            return theThingsStack(root);
        }
        throw new BadUplinkException("neither a ChirpStack v4 (deviceInfo) nor a The Things Stack v3 (uplink_message)"
                + " uplink");
    }

    private Uplink chirpStack(JsonNode root) throws BadUplinkException {
        JsonNode info = root.get("deviceInfo");
        String eui = required(info, "devEui", "deviceInfo.devEui");
        JsonNode decoded = decoded(root.get("object"), "object");
        Instant gateway = earliest(root.path("rxInfo"), "gwTime", "nsTime");
        if (gateway == null && root.hasNonNull("time")) {
            gateway = instant(root.get("time"), "time");
        }
        return new Uplink(eui.toLowerCase(Locale.ROOT), info.path("deviceName").asText(eui),
                info.path("deviceProfileName").asText(""), counter(root.get("fCnt"), "fCnt"),
                time(decoded, gateway), decoded);
    }

    private Uplink theThingsStack(JsonNode root) throws BadUplinkException {
        JsonNode ids = root.path("end_device_ids");
        String eui = required(ids, "dev_eui", "end_device_ids.dev_eui");
        JsonNode message = root.get("uplink_message");
        JsonNode decoded = decoded(message.get("decoded_payload"), "uplink_message.decoded_payload");
        Instant gateway = earliest(message.path("rx_metadata"), "time", "received_at");
        if (gateway == null && message.hasNonNull("received_at")) {
            gateway = instant(message.get("received_at"), "uplink_message.received_at");
        }
        return new Uplink(eui.toLowerCase(Locale.ROOT), ids.path("device_id").asText(eui),
                ids.path("application_ids").path("application_id").asText(""),
                counter(message.get("f_cnt"), "uplink_message.f_cnt"), time(decoded, gateway), decoded);
    }

    private Instant time(JsonNode decoded, Instant gateway) throws BadUplinkException {
        if (timeSource == null) {
            return gateway;
        }
        if (timeSource == TimeSource.GATEWAY) {
            if (gateway == null) {
                throw new BadUplinkException("no gateway receive time in the uplink");
            }
            return gateway;
        }
        JsonNode at = decoded.at(deviceTimePointer);
        if (at.isMissingNode() || at.isNull()) {
            throw new BadUplinkException("no device time at " + deviceTimePointer + " in the decoded payload");
        }
        return instant(at, "decoded" + deviceTimePointer);
    }

    private static JsonNode decoded(JsonNode node, String where) throws BadUplinkException {
        if (node == null || !node.isObject()) {
            throw new BadUplinkException("no decoded payload object (" + where + "): is a payload codec set for the"
                    + " device profile?");
        }
        return node;
    }

    /** The earliest of the gateways' times: the same uplink heard by several gateways gets one time. */
    private static Instant earliest(JsonNode gateways, String... keys) throws BadUplinkException {
        Instant earliest = null;
        for (JsonNode gateway : gateways) {
            for (String key : keys) {
                if (gateway.hasNonNull(key)) {
                    Instant at = instant(gateway.get(key), key);
                    earliest = earliest == null || at.isBefore(earliest) ? at : earliest;
                    break;
                }
            }
        }
        return earliest;
    }

    /** ISO-8601 text, or a number of epoch seconds. */
    private static Instant instant(JsonNode node, String where) throws BadUplinkException {
        if (node.isNumber()) {
            return Instant.ofEpochSecond(node.asLong());
        }
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeParseException e) {
            throw new BadUplinkException(where + ": not an ISO-8601 time or epoch seconds: '" + node.asText() + "'");
        }
    }

    /** A counter of 0 is left out by both servers' JSON (protobuf defaults). */
    private static long counter(JsonNode node, String where) throws BadUplinkException {
        if (node == null) {
            return 0;
        }
        if (!node.canConvertToLong() || node.asLong() < 0) {
            throw new BadUplinkException(where + ": missing or not a frame counter");
        }
        return node.asLong();
    }

    private static String required(JsonNode parent, String key, String where) throws BadUplinkException {
        JsonNode value = parent.get(key);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new BadUplinkException(where + " is missing");
        }
        return value.asText();
    }
}
