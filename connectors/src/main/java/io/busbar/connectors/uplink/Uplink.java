package io.busbar.connectors.uplink;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One uplink of a metering device as a LoRaWAN network server published it, reduced to what a
 * reading needs: the device, its frame counter, the reading's time and the codec's decoded object.
 *
 * @param device       the device EUI in lower-case hex (the same through any gateway)
 * @param deviceName   the name the network server knows it by
 * @param profile      the device profile (ChirpStack) or application (TTS): picks the mapping
 * @param frameCounter the uplink frame counter (FCnt)
 * @param time         when the reading was taken: the device's own time, or the gateway's receive time
 * @param decoded      the decoded payload object (the network server's codec output)
 */
public record Uplink(String device, String deviceName, String profile, long frameCounter, Instant time,
                     JsonNode decoded) {
}
