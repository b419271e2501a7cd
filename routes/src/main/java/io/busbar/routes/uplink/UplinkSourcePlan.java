package io.busbar.routes.uplink;

import io.busbar.connectors.tls.TlsSettings;
import io.busbar.connectors.uplink.UplinkParser.TimeSource;
import io.busbar.mappings.Mapping;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An IoT uplink source, compiled: a network server's uplinks on an MQTT broker, mapped by device.
 *
 * @param name              the source's name: the {@code pair} of its readings and of their keys
 * @param url               {@code tcp://host:1883} or {@code ssl://host:8883}
 * @param clientId          the MQTT client id; fixed, so the broker keeps the session across restarts
 * @param username          user name, when the broker wants one
 * @param password          password; never logged
 * @param tls               trust and client certificate for {@code ssl://} URLs
 * @param topics            topic filters, e.g. {@code application/+/device/+/event/up}
 * @param format            which network server's JSON (both are recognised; this documents the intent)
 * @param timeSource        the device's own time or the gateway's receive time
 * @param deviceTimePointer where the device's time is in the decoded object (for {@link TimeSource#DEVICE})
 * @param sessionExpiry     how long the broker queues uplinks while Busbar is away
 * @param expectedInterval  how often each mapped device should report; a device silent for longer shows
 *                          in health. Empty: not watched
 * @param mapping           registers addressed {@code uplink:<EUI><JSON pointer>}
 * @param targets           the targets its readings go to
 */
public record UplinkSourcePlan(
        String name,
        String url,
        String clientId,
        Optional<String> username,
        Optional<String> password,
        TlsSettings tls,
        List<String> topics,
        Format format,
        TimeSource timeSource,
        String deviceTimePointer,
        Duration sessionExpiry,
        Optional<Duration> expectedInterval,
        Mapping mapping,
        List<String> targets) {

    /** The network server whose uplink JSON the topics carry. */
    public enum Format { CHIRPSTACK, TTS }

    /** What a broker URL looks like (the configuration schema's pattern). */
    public static final String URL_PATTERN = "^(tcp|ssl)://[^\\s/]+$";
    public static final Duration DEFAULT_SESSION_EXPIRY = Duration.ofDays(1);
    public static final String DEFAULT_DEVICE_TIME_POINTER = "/time";

    public UplinkSourcePlan {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(expectedInterval, "expectedInterval");
        topics = List.copyOf(topics);
        targets = List.copyOf(targets);
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("an uplink source needs at least one topic");
        }
    }

    public static String defaultClientId(String name) {
        return "busbar-uplinks-" + name;
    }

    /** The usual topic filter of the format's uplinks. */
    public static String defaultTopic(Format format) {
        return format == Format.TTS ? "v3/+/devices/+/up" : "application/+/device/+/event/up";
    }

    /** Without the password, for logs and errors. */
    @Override
    public String toString() {
        return "UplinkSourcePlan[" + name + " " + url + " as " + clientId + " " + topics + " " + format + " time="
                + timeSource + "]";
    }
}
