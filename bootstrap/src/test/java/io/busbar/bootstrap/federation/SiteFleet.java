package io.busbar.bootstrap.federation;

import io.busbar.connectors.support.TestReadings;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.wire.ReadingChunkCodec;
import io.busbar.routes.BufferLayout;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyConnectorFactory;
import org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants;

/**
 * The sites of {@link SiteScaleBench}, in a JVM of their own so that the bench's JVM's CPU time is
 * the central's. Each site is one TLS connection through a byte-counting {@link WanLink} (no
 * latency), sending every second what a site's bridge sends: one message per meter group with
 * the readings in the buffer's binary chunk format, deflated, durable, with the bridge's
 * duplicate id, asynchronously confirmed. They all present the shipped north certificate, each
 * writing a pair of its own.
 *
 * <p>It is a harness, so what does not depend on the moment of sending is done before the window:
 * every message body of the run (chunk encoding and deflate, the sites' CPU at their own machines)
 * is made before the first second. In the window the fleet only sends: {@link #LANES} threads,
 * each sending its share of the sites' messages second by second, so no site waits for another.
 *
 * <p>Arguments: {@code centralPort sites meters quantities warmup seconds}: {@code warmup} seconds
 * at the full rate (the JVMs' JIT, the central's caches), then the measured window of
 * {@code seconds}. Prints {@code fleet first=S window=W} (the first second sent, the window's first
 * second) once every site is connected and every body made; during the window, per 10 s, how late
 * the sends were; at the end {@code fleet readings=N window-readings=R bytes=B late-max-ms=L
 * late-p99-ms=P cpu-ms=C}: all readings sent, those of the window, the bytes the sites sent in the
 * window, how late a lane finished a window second's sends after that second began (at worst and at
 * the 99th percentile of lane-seconds), and the fleet JVM's CPU time over the window.
 */
final class SiteFleet {

    private static final String[] QUANTITIES = {"1-0:1.8.0", "1-0:1.7.0", "1-0:2.8.0", "1-0:2.7.0"};
    /** Sending threads: a second's sends of all sites take a few ms; more threads only compete for the cores. */
    static final int LANES = 4;

    private SiteFleet() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int sites = Integer.parseInt(args[1]);
        int meters = Integer.parseInt(args[2]);
        int quantities = Integer.parseInt(args[3]);
        int warmup = Integer.parseInt(args[4]);
        int seconds = Integer.parseInt(args[5]);
        int run = warmup + seconds;
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(sites, 16));
        List<Future<Site>> connecting = new ArrayList<>();
        for (int s = 0; s < sites; s++) {
            String pair = "site-" + s;
            connecting.add(pool.submit(() -> Site.connect(port, pair)));
        }
        List<Site> connected = new ArrayList<>();
        for (Future<Site> site : connecting) {
            connected.add(site.get());
        }
        pool.shutdown();
        // the run's first second, far enough ahead for every body to be made before it
        long first = Instant.now().getEpochSecond() + 5 + (long) sites * run / 250;
        long window = first + warmup;
        List<Future<Body[][]>> encoding = new ArrayList<>();
        ExecutorService encoders = Executors.newFixedThreadPool(2);
        for (Site site : connected) {
            encoding.add(encoders.submit(() -> Body.ofRun(site.pair(), meters, quantities, first, run)));
        }
        List<Body[][]> bodies = new ArrayList<>();
        for (Future<Body[][]> body : encoding) {
            bodies.add(body.get());
        }
        encoders.shutdown();
        if (Instant.now().getEpochSecond() >= first) {
            throw new IllegalStateException("making the bodies took past the first second " + first);
        }
        // every TLS handshake is done and every body made: the run holds the steady stream only
        System.out.println("fleet first=" + first + " window=" + window);
        AtomicLong sent = new AtomicLong();
        List<Lane> lanes = new ArrayList<>();
        for (int l = 0; l < Math.min(sites, LANES); l++) {
            List<Site> laneSites = new ArrayList<>();
            List<Body[][]> laneBodies = new ArrayList<>();
            for (int s = l; s < sites; s += LANES) {
                laneSites.add(connected.get(s));
                laneBodies.add(bodies.get(s));
            }
            lanes.add(new Lane(laneSites, laneBodies, first, run, sent));
        }
        bodies.clear();
        List<Thread> threads = new ArrayList<>();
        for (Lane lane : lanes) {
            Thread thread = new Thread(lane, "fleet-lane-" + threads.size());
            thread.start();
            threads.add(thread);
        }
        await(window * 1000);
        long cpuStart = cpuNanos();
        long bytesBefore = connected.stream().mapToLong(site -> site.link.upstreamBytes()).sum();
        for (Thread thread : threads) {
            thread.join();
        }
        long cpu = cpuNanos() - cpuStart;
        for (Lane lane : lanes) {
            if (lane.failure != null) {
                throw lane.failure;
            }
        }
        for (int block = 0; block < seconds; block += 10) {
            long worst = 0;
            for (Lane lane : lanes) {
                for (int i = warmup + block; i < warmup + Math.min(block + 10, seconds); i++) {
                    worst = Math.max(worst, lane.lateMs[i]);
                }
            }
            System.out.println("fleet late-max-ms seconds " + block + "-" + Math.min(block + 10, seconds) + ": " + worst);
        }
        long windowReadings = lanes.stream().flatMapToLong(lane -> java.util.Arrays.stream(lane.sent, warmup, run)).sum();
        long[] late = lanes.stream().flatMapToLong(lane -> java.util.Arrays.stream(lane.lateMs, warmup, run)).sorted().toArray();
        long bytes = connected.stream().mapToLong(site -> site.link.upstreamBytes()).sum() - bytesBefore;
        System.out.println("fleet readings=" + sent.get() + " window-readings=" + windowReadings + " bytes=" + bytes
                + " late-max-ms=" + late[late.length - 1] + " late-p99-ms=" + late[(int) Math.ceil(late.length * 0.99) - 1]
                + " cpu-ms=" + cpu / 1_000_000);
        for (Site site : connected) {
            site.close();
        }
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void await(long epochMillis) throws InterruptedException {
        long wait = epochMillis - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }

    /** One thread's sites: every second, each of their messages of that second, then how late that was. */
    private static final class Lane implements Runnable {
        private final List<Site> sites;
        private final List<Body[][]> bodies;
        private final long first;
        private final AtomicLong total;
        private final long[] lateMs;
        private final long[] sent;
        private volatile Exception failure;

        Lane(List<Site> sites, List<Body[][]> bodies, long first, int seconds, AtomicLong total) {
            this.sites = sites;
            this.bodies = bodies;
            this.first = first;
            this.total = total;
            this.lateMs = new long[seconds];
            this.sent = new long[seconds];
        }

        @Override
        public void run() {
            try {
                for (int i = 0; i < lateMs.length; i++) {
                    long second = first + i;
                    await(second * 1000);
                    for (int s = 0; s < sites.size(); s++) {
                        for (Body body : bodies.get(s)[i]) {
                            sites.get(s).send(body, second);
                            total.addAndGet(body.count());
                            sent[i] += body.count();
                        }
                        bodies.get(s)[i] = null; // sent: its memory may go
                    }
                    lateMs[i] = System.currentTimeMillis() - second * 1000;
                }
            } catch (Exception e) {
                failure = e;
            }
        }
    }

    /** One message's body as the site's bridge sends it, made ahead of the window. */
    private record Body(int group, byte[] bytes, boolean deflated, int count) {

        /** A site's bodies of the whole run: by second, then by meter group. */
        static Body[][] ofRun(String pair, int meters, int quantities, long first, int seconds) {
            Body[][] run = new Body[seconds][];
            for (int i = 0; i < seconds; i++) {
                Instant time = Instant.ofEpochSecond(first + i);
                Map<Integer, List<Reading>> groups = IntStream.range(0, meters).boxed()
                        .flatMap(m -> IntStream.range(0, quantities).mapToObj(q -> reading(pair, m, QUANTITIES[q], time)))
                        .collect(Collectors.groupingBy(r -> BufferLayout.meterGroupOf(r.meter())));
                run[i] = groups.entrySet().stream().map(group -> of(group.getKey(), group.getValue())).toArray(Body[]::new);
            }
            return run;
        }

        private static Body of(int group, List<Reading> readings) {
            byte[] chunk = ReadingChunkCodec.encode(readings);
            byte[] deflated = DeflateBody.deflate(chunk);
            boolean pays = deflated.length <= chunk.length * 9L / 10;
            return new Body(group, pays ? deflated : chunk, pays, readings.size());
        }
    }

    /** One site's connection through its own byte-counting link. */
    private record Site(String pair, WanLink link, ServerLocator locator, ClientSession session, ClientProducer producer,
                        byte[] node, long[] messageId) {

        static Site connect(int port, String pair) throws Exception {
            WanLink link = new WanLink("127.0.0.1", port, 0);
            Map<String, Object> params = new HashMap<>();
            params.put(TransportConstants.HOST_PROP_NAME, "localhost");
            params.put(TransportConstants.PORT_PROP_NAME, link.port());
            params.put(TransportConstants.SSL_ENABLED_PROP_NAME, true);
            params.put(TransportConstants.KEYSTORE_PATH_PROP_NAME, SiteToCentralIT.cert("site-north.p12").toString());
            params.put(TransportConstants.KEYSTORE_PASSWORD_PROP_NAME, SiteToCentralIT.PASSWORD);
            params.put(TransportConstants.TRUSTSTORE_PATH_PROP_NAME, SiteToCentralIT.cert("trust.p12").toString());
            params.put(TransportConstants.TRUSTSTORE_PASSWORD_PROP_NAME, SiteToCentralIT.PASSWORD);
            ServerLocator locator = ActiveMQClient.createServerLocatorWithoutHA(
                    new TransportConfiguration(NettyConnectorFactory.class.getName(), params))
                    .setConfirmationWindowSize(FederationBroker.CONFIRMATION_WINDOW_BYTES).setBlockOnDurableSend(false);
            ClientSession session = locator.createSessionFactory().createSession("north", "", false, true, true, false, 0);
            session.setSendAcknowledgementHandler(message -> { });
            ClientProducer producer = session.createProducer(FederationLayout.siteAddress("north"));
            byte[] node = ByteBuffer.allocate(16).putLong(UUID.randomUUID().getMostSignificantBits())
                    .putLong(UUID.randomUUID().getLeastSignificantBits()).array();
            return new Site(pair, link, locator, session, producer, node, new long[1]);
        }

        void send(Body body, long second) throws Exception {
            producer.send(message(body, second));
        }

        /** What the site's bridge sends for one buffer message of the pair's meter group. */
        private ClientMessage message(Body body, long second) {
            ClientMessage message = session.createMessage(ClientMessage.BYTES_TYPE, true);
            message.getBodyBuffer().writeBytes(body.bytes());
            if (body.deflated()) {
                message.putStringProperty(FederationLayout.ENCODING_PROPERTY, FederationLayout.DEFLATE);
            }
            message.putStringProperty(BufferLayout.PAIR_PROPERTY, pair);
            message.putIntProperty(BufferLayout.COUNT_PROPERTY, body.count());
            message.putIntProperty(BufferLayout.CHUNK_FORMAT_PROPERTY, ReadingChunkCodec.VERSION);
            message.putLongProperty(BufferLayout.OLDEST_PROPERTY, second * 1000);
            message.putStringProperty("JMSXGroupID", BufferLayout.meterGroup(pair, body.group()));
            // as the bridge: the site's node id and the message's id, for the central's duplicate check
            message.putBytesProperty(Message.HDR_BRIDGE_DUPLICATE_ID,
                    ByteBuffer.allocate(24).put(node).putLong(++messageId[0]).array());
            return message;
        }

        void close() throws Exception {
            producer.close();
            session.close();
            locator.close();
            link.close();
        }
    }

    private static Reading reading(String pair, int meter, String quantity, Instant time) {
        boolean energy = quantity.endsWith(".8.0");
        BigDecimal value = energy ? BigDecimal.valueOf(1_000_000L + time.getEpochSecond() % 100_000 + meter, 3)
                : BigDecimal.valueOf(1500 + meter, 2);
        return TestReadings.reading(pair, "meter-" + meter, quantity, value, energy ? "kWh" : "kW", time);
    }
}
