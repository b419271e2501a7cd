package io.busbar.bootstrap.cli;

import io.busbar.bootstrap.config.Durations;
import io.busbar.connectors.opcua.browse.MappingSkeleton;
import io.busbar.connectors.tls.TlsSettings;
import io.busbar.connectors.uplink.BadUplinkException;
import io.busbar.connectors.uplink.DevicesSeen;
import io.busbar.connectors.uplink.UplinkParser;
import io.busbar.routes.uplink.UplinkSourcePlan;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "uplinks",
        header = "Listen to LoRaWAN uplinks on MQTT; write a mapping for the devices heard.",
        description = "Listen to a LoRaWAN network server's uplink topics on an MQTT broker for a while and write a"
                + " mapping skeleton of the devices heard: DIR/" + DiscoverUplinksCommand.MAPPING + " (one meter per"
                + " device, one register per numeric field of its decoded payload, addressed uplink:<EUI><JSON pointer>,"
                + " quantity codes guessed from the field names, every guess to check marked TODO) and DIR/busbar.yaml"
                + " (uplink source '" + DiscoverUplinksCommand.SOURCE + "', readings to DIR/readings.jsonl). Listens as"
                + " a new client with a clean session, so the broker's session of a running Busbar is not touched.")
public final class DiscoverUplinksCommand extends ConsoleCommand {

    public static final String MAPPING = "mappings/uplinks.yaml";
    public static final String SOURCE = "discovered";
    /** Printed to stderr once subscribed: from here on uplinks are heard. */
    public static final String LISTENING = "Listening on ";

    private static final Pattern URL = Pattern.compile(UplinkSourcePlan.URL_PATTERN);

    @Option(names = "--url", required = true, paramLabel = "URL",
            description = "The MQTT broker the network server publishes to: tcp://host:1883 or ssl://host:8883.")
    String url;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "chirpstack",
            description = "chirpstack (v4, default) or tts (The Things Stack v3): picks the default topic; both JSON"
                    + " shapes are read on any topic.")
    String format;

    @Option(names = "--topic", paramLabel = "FILTER",
            description = "Topic filter to listen to (repeatable). Default: application/+/device/+/event/up (chirpstack)"
                    + " or v3/+/devices/+/up (tts).")
    List<String> topics = new ArrayList<>();

    @Option(names = "--listen", paramLabel = "DURATION", defaultValue = "60s",
            description = "How long to listen, e.g. 90s or 15m: at least the devices' reporting interval (default: ${DEFAULT-VALUE}).")
    String listen;

    @Mixin
    LoginOptions login = new LoginOptions();

    @Option(names = "--ca-file", paramLabel = "FILE",
            description = "PEM file of the CA that signed the broker's certificate (ssl:// only); default: the JVM's.")
    Path caFile;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write into.")
    Path out;

    @Option(names = "--force", description = "Overwrite DIR/busbar.yaml and DIR/" + MAPPING + " if they exist.")
    boolean force;

    @Override
    public Integer call() {
        PrintWriter stdout = out();
        PrintWriter err = err();
        List<String> problems = new ArrayList<>();
        Duration listening = checkOptions(problems);
        String password = login.password(problems);
        if (!problems.isEmpty()) {
            problems.forEach(err::println);
            err.flush();
            return ExitCodes.INVALID;
        }
        if (topics.isEmpty()) {
            topics.add(UplinkSourcePlan.defaultTopic(UplinkSourcePlan.Format.valueOf(format.toUpperCase(Locale.ROOT))));
        }
        DevicesSeen seen = new DevicesSeen();
        try {
            listen(password, listening, seen, err);
        } catch (MqttException | IOException | java.security.GeneralSecurityException e) {
            err.println("discover uplinks: cannot listen on " + url + ": " + e.getMessage());
            err.flush();
            return ExitCodes.RUNTIME_FAILURE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.RUNTIME_FAILURE;
        }
        synchronized (seen) {
            return write(seen, listening, stdout, err);
        }
    }

    /** The listening time; every option problem added to {@code problems}. */
    private Duration checkOptions(List<String> problems) {
        if (!URL.matcher(url).matches()) {
            problems.add("--url: must be an MQTT broker URL such as tcp://host:1883 or ssl://host:8883, not '" + url + "'");
        }
        if (!format.equals("chirpstack") && !format.equals("tts")) {
            problems.add("--format: must be chirpstack or tts, not '" + format + "'");
        }
        Duration listening = null;
        try {
            listening = Durations.parse(listen);
            if (listening.isZero()) {
                problems.add("--listen: must be longer than 0");
            }
        } catch (IllegalArgumentException e) {
            problems.add("--listen: must be a duration such as 90s or 15m, not '" + listen + "'");
        }
        if (caFile != null && !url.startsWith("ssl://")) {
            problems.add("--ca-file: applies only to an ssl:// broker URL");
        } else if (caFile != null && !Files.isRegularFile(caFile)) {
            problems.add("--ca-file: file not found: " + caFile);
        }
        DiscoverCommand.refuseToOverwrite(out, MAPPING, force, problems);
        return listening;
    }

    /** Subscribes as a throw-away client (clean start, QoS 0: nothing queued for it, nothing acknowledged for Busbar). */
    private void listen(String password, Duration listening, DevicesSeen seen, PrintWriter err)
            throws MqttException, IOException, java.security.GeneralSecurityException, InterruptedException {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setSessionExpiryInterval(0L);
        options.setConnectionTimeout(10);
        if (!login.anonymous()) {
            options.setUserName(login.username);
            options.setPassword(password.getBytes(StandardCharsets.UTF_8));
        }
        if (caFile != null) {
            options.setSocketFactory(new TlsSettings(java.util.Optional.of(caFile), java.util.Optional.empty(), null)
                    .sslContext().getSocketFactory());
        }
        UplinkParser parser = UplinkParser.ignoringTime();
        MqttClient client = new MqttClient(url, "busbar-discover-" + UUID.randomUUID().toString().substring(0, 8),
                new MemoryPersistence());
        try {
            client.setCallback(new Heard(parser, seen));
            client.connect(options);
            int[] qos = new int[topics.size()];
            client.subscribe(topics.toArray(String[]::new), qos);
            err.printf(Locale.ROOT, "%s%s to %s for %d s ...%n", LISTENING, url, topics, listening.toSeconds());
            err.flush();
            Thread.sleep(listening.toMillis());
        } finally {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        }
    }

    private int write(DevicesSeen seen, Duration listening, PrintWriter stdout, PrintWriter err) {
        String badNote = seen.bad() == 0 ? "" : String.format(Locale.ROOT, "; %,d uplink(s) not understood, e.g.: %s",
                seen.bad(), seen.badReasons().get(0));
        MappingSkeleton skeleton = MappingSkeleton.of(seen.variables());
        stdout.printf(Locale.ROOT, "Heard %,d uplink(s) of %,d device(s) in %d s: %,d numeric field(s)%s.%n", seen.uplinks(),
                seen.devices(), listening.toSeconds(), skeleton.registerCount(), badNote);
        if (skeleton.meters().isEmpty()) {
            err.println("discover uplinks: no uplink with numeric fields in its decoded payload on " + topics + " within "
                    + listening.toSeconds() + " s; nothing written. Listen longer (--listen), or check the topics and that"
                    + " the device profiles have a payload codec.");
            err.flush();
            stdout.flush();
            return ExitCodes.RUNTIME_FAILURE;
        }
        try {
            DiscoverCommand.write(out.resolve(MAPPING), skeleton.toYaml(header(seen, skeleton, listening)));
            DiscoverCommand.write(out.resolve(DiscoverCommand.CONFIG), config(seen.timeFields()));
        } catch (IOException e) {
            err.println("discover uplinks: cannot write into " + out + ": " + e);
            err.flush();
            return ExitCodes.RUNTIME_FAILURE;
        }
        DiscoverCommand.printWritten(stdout, out, MAPPING, skeleton, "uplink source '" + SOURCE + "'");
        stdout.flush();
        return ExitCodes.OK;
    }

    private List<String> header(DevicesSeen seen, MappingSkeleton skeleton, Duration listening) {
        List<String> header = new ArrayList<>();
        header.add("Written by `busbar discover uplinks` from " + url + " " + topics + ", listening " + listening.toSeconds()
                + " s from " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ".");
        header.add(String.format(Locale.ROOT, "%,d devices heard: %,d meters with %,d registers; marked TODO: %,d quantity"
                        + " code(s) and %,d unit(s) to check.", seen.devices(), skeleton.meters().size(),
                skeleton.registerCount(), skeleton.quantityTodoCount(), skeleton.unitTodoCount()));
        if (seen.bad() > 0) {
            header.add(String.format(Locale.ROOT, "%,d uplink(s) not understood: %s", seen.bad(),
                    String.join(" | ", seen.badReasons())));
        }
        header.add("A node is uplink:<device EUI><JSON pointer into the decoded payload>. Quantity codes are guesses from"
                + " the field names; the unit is the quantity's usual one: check what the codec reports (scale: 0.001"
                + " turns litres into m3).");
        header.add("Devices that are heard only now and then may be missing: listen at least one reporting interval."
                + " Many devices of one profile can become one template over their EUIs (examples/lorawan-uplinks).");
        return header;
    }

    String config(Set<String> timeFields) {
        StringBuilder yaml = new StringBuilder();
        yaml.append("# Written by `busbar discover uplinks`: the uplinks on ").append(url).append(" feeding a JSON-lines file.\n");
        yaml.append("# Check ").append(MAPPING).append(" (every line marked TODO), then: busbar validate --config ")
                .append(DiscoverCommand.CONFIG).append('\n');
        yaml.append("uplinks:\n");
        yaml.append("  ").append(SOURCE).append(":\n");
        yaml.append("    url: ").append(DiscoverCommand.quote(url)).append('\n');
        yaml.append("    format: ").append(format).append('\n');
        yaml.append("    topics: [").append(topics.stream().map(DiscoverCommand::quote).collect(Collectors.joining(", ")))
                .append("]\n");
        yaml.append("    time: gateway                 # a reading's time: the earliest gateway receive time\n");
        if (!timeFields.isEmpty()) {
            yaml.append("    # time: device                # or the device's own time; fields seen that hold a time: ")
                    .append(String.join(", ", timeFields)).append('\n');
            yaml.append("    # device-time: ").append(DiscoverCommand.quote(timeFields.iterator().next())).append('\n');
        }
        if (!login.anonymous()) {
            yaml.append(login.yaml("    "));
        }
        if (caFile != null) {
            yaml.append("    tls: {ca-file: ").append(DiscoverCommand.quote(caFile.toAbsolutePath().normalize().toString()))
                    .append("}\n");
        }
        yaml.append("    # expected-interval: 1h       # how often each device reports: a silent device shows in health\n");
        DiscoverCommand.appendMappingAndFileTarget(yaml, SOURCE, MAPPING);
        return yaml.toString();
    }

    /** Each uplink heard, read (or its reason kept) on Paho's thread. */
    private static final class Heard implements MqttCallback {
        private final UplinkParser parser;
        private final DevicesSeen seen;

        Heard(UplinkParser parser, DevicesSeen seen) {
            this.parser = parser;
            this.seen = seen;
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            synchronized (seen) {
                try {
                    seen.add(parser.parse(message.getPayload()));
                } catch (BadUplinkException e) {
                    seen.bad(topic + ": " + e.getMessage());
                }
            }
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
