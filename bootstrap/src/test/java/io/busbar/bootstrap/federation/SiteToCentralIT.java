package io.busbar.bootstrap.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.bootstrap.config.ConfigFile;
import io.busbar.bootstrap.demo.DemoFiles;
import io.busbar.bootstrap.deployment.BusbarProcess;
import io.busbar.bootstrap.support.FreePorts;
import io.busbar.bootstrap.support.Http;
import io.busbar.bootstrap.support.InProcessBusbar;
import io.busbar.bootstrap.support.ReadingsFile;
import io.busbar.bootstrap.support.Series;
import io.busbar.connectors.opcua.simulator.SimulatedScadaServer;
import io.busbar.connectors.support.TestReadings;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.wire.ReadingCodec;
import io.busbar.routes.BufferLayout;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.activemq.artemis.api.core.ActiveMQSecurityException;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyConnectorFactory;
import org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Where network namespaces cannot be made (not root, no iproute2: {@link SiteToCentralNetnsIT}
 * runs the real link elsewhere and this scenario skips there): a site Busbar (its own JVM, a
 * simulated SCADA server in this one) forwards to a central Busbar (in this JVM) through a
 * {@link WanLink}: 150 ms one way, then a silent cut of {@link #CUT} (shorter than the real link's
 * 60 s; 20 s is already four times the bridge's failure detection, so the site notices, buffers and
 * reconnects exactly as after a minute). Every
 * (meter, quantity, second) of the window reaches the central's (idempotent) file target exactly
 * once, and the site listens on no port but its
 * HTTP endpoint; the central sees the site's status reports age during the cut, then the backlog
 * the cut left, then none. The second test knocks with certificates the central must refuse, and
 * sends a status report to another site's address and one that is not a report.
 */
class SiteToCentralIT {

    static final int METERS = 20;
    private static final long ONE_WAY_LATENCY_MS = 150;
    private static final Duration CUT = Duration.ofSeconds(20);
    /** A Busbar JVM starting on a busy 2-core machine. */
    private static final Duration STARTUP = Duration.ofSeconds(180);
    static final String PASSWORD = "changeit";

    @RegisterExtension
    final InProcessBusbar central = new InProcessBusbar();

    @TempDir
    Path dir;

    @Test
    void linkSlowThenCutSilently_siteBuffersAndCatchesUp_everyReadingOnceAtCentral_siteListensOnNothing() throws Exception {
        assumeTrue(SiteNamespace.unavailable().isPresent(),
                "network namespaces work here: SiteToCentralNetnsIT runs this scenario across a real link");
        SimulatedScadaServer scada = central.server(METERS);
        int listenPort = FreePorts.next();
        ConfigurableApplicationContext centralContext = central.start(ConfigFile.load(centralConfig(dir, listenPort)));
        Path received = dir.resolve("central/readings.jsonl");
        try (WanLink wan = new WanLink("127.0.0.1", listenPort, ONE_WAY_LATENCY_MS);
             BusbarProcess site = BusbarProcess.start("site-north", siteConfig(dir, scada.endpointUrl(), null, "localhost:" + wan.port()),
                     siteLog())) {
            await().atMost(STARTUP).pollInterval(Duration.ofSeconds(1))
                    .until(() -> distinctSeconds(ReadingsFile.read(received)) >= 5);
            assertThat(listeningPorts(site.pid())).as("ports the site listens on").containsExactly(site.httpPort());
            JsonNode link = site.health("federation").at("/details/forward");
            assertThat(link.path("connected").asBoolean()).isTrue();
            CentralReportWatch reports = new CentralReportWatch(new Http(port(centralContext)));
            reports.awaitFreshReportLinkUp();

            Instant cutAt = Instant.now();
            wan.cut();
            // the bridge notices by its own pings (5 s), nothing told it
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> !site.health("federation").at("/details/forward/connected").asBoolean(true));
            await().atMost(CUT).pollInterval(Duration.ofMillis(500))
                    .until(() -> Duration.between(cutAt, Instant.now()).compareTo(CUT) >= 0);
            JsonNode during = site.health("federation");
            assertThat(during.path("status").asText()).isEqualTo("DEGRADED");
            assertThat(during.at("/details/forward/backlogMessages").asLong()).as("batches waiting at the site").isPositive();
            assertThat(during.at("/details/forward/oldestAgeSeconds").asLong()).isGreaterThanOrEqualTo(CUT.toSeconds() - 6);
            // the central has heard nothing since the cut: its report of the site ages
            assertThat(reports.report().path("ageSeconds").asLong()).as("age of the central's newest report")
                    .isGreaterThanOrEqualTo(CUT.toSeconds() - 2);
            Instant restoredAt = Instant.now();
            wan.restore();

            // reconnect back-off is at most 30 s; then the backlog drains
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                JsonNode now = site.health("federation").at("/details/forward");
                return CentralReportWatch.drained(now, "connected");
            });
            // the reports made during the cut arrive in order, before the first one of none
            reports.awaitBacklogReportedDrained(restoredAt);
            reports.assertOutageBacklogReported(cutAt, CUT);
            long lastSecond = Instant.now().getEpochSecond() - 3;
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> everySeriesReaches(ReadingsFile.read(received), lastSecond));
            List<Reading> readings = ReadingsFile.read(received);
            Series.assertEachSecondExactlyOnce(readings);
            Set<Long> seconds = readings.stream().map(r -> r.sourceTime().getEpochSecond()).collect(Collectors.toSet());
            for (long s = cutAt.getEpochSecond(); s < restoredAt.getEpochSecond(); s++) {
                assertThat(seconds).as("a second of the cut").contains(s);
            }
            JsonNode north = new Http(port(centralContext)).getJson("/actuator/health/federation").at("/details/sites/north");
            assertThat(north.path("connected").asBoolean()).isTrue();
            assertThat(north.path("readingsReceived").asLong()).as("still flowing: counted later").isGreaterThanOrEqualTo(readings.size());
            assertThat(north.path("writesRefused").asLong()).isZero();
            long reconnects = wan.connections();
            System.out.printf("site-to-central: %d readings, %d bytes site->central (%.1f bytes/reading, TLS and"
                            + " deflate), %d bytes back, %d connections through the link, cut %d s%n", readings.size(),
                    wan.upstreamBytes(), (double) wan.upstreamBytes() / readings.size(), wan.downstreamBytes(),
                    reconnects, CUT.toSeconds());
            assertThat(reconnects).as("both bridges (readings, reports) reconnected after the cut").isGreaterThanOrEqualTo(4);
            assertThat(north.path("reportsMalformed").asLong()).isZero();
        }
    }

    @Test
    void unknownCertificatesAndForeignPairs_areRefused_ownPairAccepted() throws Exception {
        int listenPort = FreePorts.next();
        ConfigurableApplicationContext centralContext = central.start(ConfigFile.load(centralConfig(dir, listenPort)));

        // signed by another CA: the TLS handshake fails
        assertThatThrownBy(() -> session(listenPort, "site-stranger.p12").close()).as("a certificate of another CA");
        // signed by the sites' CA but not listed in central.sites: TLS passes, the login does not
        assertThatThrownBy(() -> session(listenPort, "site-unlisted.p12").close())
                .as("a certificate central.sites does not list").isInstanceOf(ActiveMQSecurityException.class);

        try (ClientSession south = session(listenPort, "site-south.p12")) {
            // its own address, another site's pair
            assertThatThrownBy(() -> send(south, FederationLayout.siteAddress("south"), "north-plant"))
                    .isInstanceOf(ActiveMQSecurityException.class).hasMessageContaining("may not write pair 'north-plant'");
            // another site's address
            assertThatThrownBy(() -> send(south, FederationLayout.siteAddress("north"), "north-plant"))
                    .isInstanceOf(ActiveMQSecurityException.class);
            // a status report to another site's report address
            SiteReport report = new SiteReport("south", Instant.now(), true, 7, java.util.OptionalLong.of(84),
                    Duration.ofSeconds(12), "test");
            assertThatThrownBy(() -> sendReport(south, FederationLayout.reportAddress("north"), report.encode()))
                    .isInstanceOf(ActiveMQSecurityException.class);
            // a malformed report is ignored and counted; the session goes on
            sendReport(south, FederationLayout.reportAddress("south"), "{\"v\":1,".getBytes(StandardCharsets.UTF_8));
            sendReport(south, FederationLayout.reportAddress("south"), report.encode());
            // and the real thing
            send(south, FederationLayout.siteAddress("south"), "south-plant");
        }
        Path received = dir.resolve("central/readings.jsonl");
        await().atMost(Duration.ofSeconds(30)).until(() -> !ReadingsFile.read(received).isEmpty());
        assertThat(ReadingsFile.read(received)).as("readings only, no report").extracting(Reading::pair)
                .containsOnly("south-plant").hasSize(3);
        JsonNode south = new Http(port(centralContext)).getJson("/actuator/health/federation").at("/details/sites/south");
        assertThat(south.path("writesRefused").asLong()).as("foreign pair, foreign address, foreign report address")
                .isEqualTo(3);
        assertThat(south.path("readingsReceived").asLong()).isEqualTo(3);
        assertThat(south.path("reportsMalformed").asLong()).isEqualTo(1);
        assertThat(south.at("/report/backlogMessages").asLong()).isEqualTo(7);
        assertThat(south.at("/report/backlogReadings").asLong()).isEqualTo(84);
        assertThat(south.at("/report/oldestAgeSeconds").asLong()).isEqualTo(12);
        assertThat(south.at("/report/stale").asBoolean(true)).isFalse();
        assertThat(new Http(port(centralContext)).getJson("/actuator/health/federation").at("/details/sites/north/report")
                .isNull()).as("north has not reported").isTrue();
    }

    /** A status report as a site's report bridge sends it, durable here so that a refusal is seen. */
    private static void sendReport(ClientSession session, String address, byte[] body) throws Exception {
        try (ClientProducer producer = session.createProducer(address)) {
            ClientMessage message = session.createMessage(ClientMessage.BYTES_TYPE, true);
            message.getBodyBuffer().writeBytes(body);
            producer.send(message);
        }
    }

    /** Kept after the test (target/), where a failure is read. */
    private static Path siteLog() throws IOException {
        Path log = Path.of("target", "SiteToCentralIT-site-north.log");
        Files.deleteIfExists(log);
        return log;
    }

    static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    private static ClientSession session(int port, String keyStore) throws Exception {
        Map<String, Object> params = new HashMap<>();
        params.put(TransportConstants.HOST_PROP_NAME, "localhost");
        params.put(TransportConstants.PORT_PROP_NAME, port);
        params.put(TransportConstants.SSL_ENABLED_PROP_NAME, true);
        params.put(TransportConstants.KEYSTORE_PATH_PROP_NAME, cert(keyStore).toString());
        params.put(TransportConstants.KEYSTORE_PASSWORD_PROP_NAME, PASSWORD);
        params.put(TransportConstants.KEYSTORE_TYPE_PROP_NAME, "PKCS12");
        params.put(TransportConstants.TRUSTSTORE_PATH_PROP_NAME, cert("trust.p12").toString());
        params.put(TransportConstants.TRUSTSTORE_PASSWORD_PROP_NAME, PASSWORD);
        params.put(TransportConstants.TRUSTSTORE_TYPE_PROP_NAME, "PKCS12");
        ServerLocator locator = ActiveMQClient.createServerLocatorWithoutHA(
                new TransportConfiguration(NettyConnectorFactory.class.getName(), params));
        locator.setBlockOnDurableSend(true).setReconnectAttempts(0).setInitialConnectAttempts(1).setCallTimeout(10_000);
        ClientSessionFactory factory = locator.createSessionFactory();
        return factory.createSession(null, null, false, true, true, false, 0);
    }

    private static void send(ClientSession session, String address, String pair) throws Exception {
        List<Reading> batch = List.of(
                TestReadings.reading(pair, "m-1", "1-0:1.8.0", new java.math.BigDecimal("1.5"), "kWh", TestReadings.T0),
                TestReadings.reading(pair, "m-1", "1-0:1.8.0", new java.math.BigDecimal("1.6"), "kWh", TestReadings.T0.plusSeconds(1)),
                TestReadings.reading(pair, "m-2", "1-0:1.8.0", new java.math.BigDecimal("7"), "kWh", TestReadings.T0));
        try (ClientProducer producer = session.createProducer(address)) {
            ClientMessage message = session.createMessage(ClientMessage.BYTES_TYPE, true);
            message.getBodyBuffer().writeBytes(ReadingCodec.toJsonBatch(batch));
            message.putStringProperty(BufferLayout.PAIR_PROPERTY, pair);
            message.putIntProperty(BufferLayout.COUNT_PROPERTY, batch.size());
            producer.send(message);
        }
    }

    static Path centralConfig(Path dir, int listenPort) throws IOException {
        Path config = dir.resolve("central/busbar.yaml");
        Files.createDirectories(config.getParent());
        Files.writeString(config, """
                central:
                  listen: 127.0.0.1:%d
                  key-store: %s
                  key-store-password: %s
                  trust-store: %s
                  trust-store-password: %s
                  sites:
                    north:
                      certificate: %s
                      pairs: [north-plant]
                    south:
                      certificate: %s
                      pairs: [south-plant]
                targets:
                  readings:
                    type: file
                    path: readings.jsonl
                routes:
                  - from: north-plant
                    to: [readings]
                  - from: south-plant
                    to: [readings]
                buffer:
                  data-dir: data
                """.formatted(listenPort, cert("central.p12"), PASSWORD, cert("trust.p12"), PASSWORD,
                cert("site-north.pem"), cert("site-south.pem")), StandardCharsets.UTF_8);
        return config;
    }

    /** The site north's config: its pair (no secondary where {@code secondary} is null), forwarded to {@code central} (host:port). */
    static Path siteConfig(Path dir, String primary, String secondary, String central) throws IOException {
        Path siteDir = dir.resolve("site-north");
        Path config = DemoFiles.write(siteDir, primary, primary, METERS); // for the mapping of the simulated meters
        Files.writeString(config, """
                sources:
                  north-plant:
                    primary:
                      endpoint: %s%s
                    publishing-interval: 1s
                mappings:
                  north-plant: %s
                forward:
                  site: north
                  central: %s
                  key-store: %s
                  key-store-password: %s
                  trust-store: %s
                  trust-store-password: %s
                buffer:
                  data-dir: data
                """.formatted(primary, secondary == null ? "" : "\n    secondary:\n      endpoint: " + secondary,
                DemoFiles.MAPPING, central, cert("site-north.p12"), PASSWORD,
                cert("trust.p12"), PASSWORD), StandardCharsets.UTF_8);
        return config;
    }

    static Path cert(String name) {
        try {
            return Path.of(SiteToCentralIT.class.getResource("/federation/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test certificate missing: " + name, e);
        }
    }

    static long distinctSeconds(List<Reading> readings) {
        return readings.stream().map(r -> r.sourceTime().getEpochSecond()).distinct().count();
    }

    static boolean everySeriesReaches(List<Reading> readings, long second) {
        Map<String, Long> last = readings.stream().collect(Collectors.toMap(r -> r.meter() + "/" + r.quantity(),
                r -> r.sourceTime().getEpochSecond(), Math::max));
        return last.size() >= METERS && last.values().stream().allMatch(s -> s >= second);
    }

    /** TCP ports a process listens on, from {@code ss}. */
    private static List<Integer> listeningPorts(long pid) throws IOException, InterruptedException {
        Process ss = new ProcessBuilder("ss", "-ltnpH").redirectErrorStream(true).start();
        String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        ss.waitFor();
        Pattern port = Pattern.compile(":(\\d+)\\s");
        TreeSet<Integer> ports = new TreeSet<>();
        for (String line : out.lines().filter(l -> l.contains("pid=" + pid + ",")).toList()) {
            Matcher m = port.matcher(line);
            if (m.find()) {
                ports.add(Integer.parseInt(m.group(1)));
            }
        }
        return List.copyOf(ports);
    }
}
