package io.busbar.connectors.opcua.simulator;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ubyte;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.model.objects.ServerTypeNode;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.enumerated.RedundancySupport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process OPC UA server that behaves like one server of a redundant power-monitoring SCADA
 * pair, for the {@code busbar demo} command and for tests.
 *
 * <p>It serves {@code Objects/Meters/MeterNNN} folders, each with {@code ns=2;s=MeterNNN.Energy}
 * (raw energy counter, Wh) and {@code ns=2;s=MeterNNN.Power} (kW). Every whole second of its clock
 * it sets all values to {@link #energyWh} and {@link #powerKw} of that second, with that second as
 * source time. Because the values are a pure function of meter and second, two servers started
 * independently deliver identical readings, like a real redundant pair; tests can compute the
 * expected values themselves. HistoryRead (raw) is answered from the same function for every second
 * from the history start up to now; unlike a real historian it has no gaps for the time the server
 * was stopped or frozen.
 *
 * <p>For load tests {@link Builder#updateInterval} makes it update faster (or slower) than once a
 * second: every slot of that length (slot n starts at n × the interval since the epoch) gets the
 * values of that instant, with the slot start as source time, and history has one value per slot.
 * Servers with the same interval still agree value for value. {@link Builder#pushUpdates} hands
 * updates to monitored items directly instead of sampling them, so that fast load costs the server
 * little.
 *
 * <p>Controls for demos and tests: {@link #stop()} and {@link #start()} again on the same port (a
 * server restart: clients lose their sessions and subscriptions), {@link #freeze()} (values stop
 * changing while the server stays up), {@link #setServiceLevel(int)}, and {@link #addMeters(int)}
 * (node ids that did not exist before appear at runtime).
 *
 * <p>It offers security policy None with anonymous access; the builder can add secured endpoints
 * and a user.
 */
public final class SimulatedScadaServer implements AutoCloseable {

    public static final String NAMESPACE_URI = "urn:busbar:simulator";
    /** The index {@link #NAMESPACE_URI} gets: the first namespace after the server's own. */
    public static final int NAMESPACE_INDEX = 2;
    public static final String ENDPOINT_PATH = "/busbar";
    public static final int DEFAULT_METER_COUNT = 20;
    public static final String DEFAULT_HOSTNAME = "localhost";
    public static final Duration DEFAULT_UPDATE_INTERVAL = Duration.ofSeconds(1);
    public static final int MAX_SERVICE_LEVEL = 255;
    /** The role tag (Boolean): true when this server says it is the active one of its pair. */
    public static final String ROLE_NODE_ID = "ns=" + NAMESPACE_INDEX + ";s=Redundancy.IsActive";
    /** A counter (Int64, the epoch second) that changes with every value update; stops when frozen. */
    public static final String HEARTBEAT_NODE_ID = "ns=" + NAMESPACE_INDEX + ";s=Redundancy.Heartbeat";

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedScadaServer.class);

    private final String applicationName;
    private final String hostname;
    private final int port;
    private final Clock clock;
    private final Instant historyStart;
    private final boolean withHistory;
    private final SimulatorSecurity security;
    /** The update interval in milliseconds: values change at every multiple of it since the epoch. */
    private final long updateMillis;
    private final boolean pushUpdates;

    private int meterCount;
    private volatile boolean frozen;
    private final java.util.concurrent.atomic.AtomicLong publishedUpdates = new java.util.concurrent.atomic.AtomicLong();
    private volatile int serviceLevel = MAX_SERVICE_LEVEL;
    private volatile boolean roleActive;
    private volatile Running running;

    private SimulatedScadaServer(Builder builder) {
        this.applicationName = builder.applicationName;
        this.hostname = builder.hostname;
        this.port = builder.port == 0 ? freePort(builder.hostname) : builder.port;
        this.clock = builder.clock;
        this.historyStart = builder.historyStart != null ? builder.historyStart : clock.instant();
        this.withHistory = builder.withHistory;
        this.meterCount = builder.meterCount;
        this.roleActive = builder.roleActive;
        this.updateMillis = builder.updateInterval.toMillis();
        this.pushUpdates = builder.pushUpdates;
        this.security = new SimulatorSecurity(
                builder.secured, builder.username, builder.password, applicationUri(), builder.hostname);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code ns=2;s=Meter001.Energy} for meter 1. */
    public static String energyNodeId(int meter) {
        return nodeId(new MeterSignal(meter, MeterSignal.Quantity.ENERGY));
    }

    /** {@code ns=2;s=Meter001.Power} for meter 1. */
    public static String powerNodeId(int meter) {
        return nodeId(new MeterSignal(meter, MeterSignal.Quantity.POWER));
    }

    /** The Energy and Power node ids of meters 1..meterCount, meter by meter. */
    public static List<String> nodeIds(int meterCount) {
        List<String> nodeIds = new ArrayList<>(2 * meterCount);
        for (int meter = 1; meter <= meterCount; meter++) {
            nodeIds.add(energyNodeId(meter));
            nodeIds.add(powerNodeId(meter));
        }
        return nodeIds;
    }

    /**
     * The value of a meter variable at an update instant in epoch milliseconds, as a server with a
     * sub-second {@link Builder#updateInterval} publishes it; equal to {@link #energyWh} or {@link
     * #powerKw} at whole seconds.
     *
     * @param meter the meter index, 1-based
     * @param energy true for the Energy variable, false for Power
     */
    public static double valueAtMillis(int meter, boolean energy, long epochMilli) {
        return new MeterSignal(meter, energy ? MeterSignal.Quantity.ENERGY : MeterSignal.Quantity.POWER)
                .valueAtMillis(epochMilli);
    }

    /** The raw energy counter (whole Wh, strictly increasing) of a meter at a whole second. */
    public static double energyWh(int meter, long epochSecond) {
        return MeterSignal.energyWh(meter, epochSecond);
    }

    /** The power (kW, three decimals) of a meter at a whole second. */
    public static double powerKw(int meter, long epochSecond) {
        return MeterSignal.powerKw(meter, epochSecond);
    }

    /**
     * Binds the endpoint and starts publishing. After {@link #stop()} it starts a fresh server on the
     * same port, as a restarted SCADA server would: sessions and subscriptions are gone.
     *
     * @throws IllegalStateException if the endpoint cannot be bound
     */
    public synchronized void start() {
        if (running == null) {
            running = new Running();
            LOG.info("Simulated SCADA server '{}' listening on {} ({} meters, history {})",
                    applicationName, endpointUrl(), meterCount, withHistory ? "on" : "off");
        }
    }

    /** Shuts the server down: the port is released and every client connection is closed. */
    public synchronized void stop() {
        if (running != null) {
            running.shutdown();
            running = null;
            LOG.info("Simulated SCADA server '{}' stopped", applicationName);
        }
    }

    @Override
    public void close() {
        stop();
    }

    public boolean isRunning() {
        return running != null;
    }

    /** Stops value updates; the server stays up and keeps answering with the last values. */
    public void freeze() {
        frozen = true;
    }

    /** Resumes value updates from the next whole second. */
    public void unfreeze() {
        frozen = false;
    }

    public boolean isFrozen() {
        return frozen;
    }

    /**
     * Sets the standard {@code Server/ServiceLevel} (ns=0;i=2267) this server reports, now and after
     * restarts: 0 maintenance, 1 no data, 2..199 degraded, 200..255 healthy (OPC UA Part 4 §6.6, redundancy).
     */
    public void setServiceLevel(int level) {
        if (level < 0 || level > MAX_SERVICE_LEVEL) {
            throw new IllegalArgumentException("service level must be 0..255, was " + level);
        }
        serviceLevel = level;
        Running current = running;
        if (current != null) {
            current.applyServiceLevel();
        }
    }

    public int serviceLevel() {
        return serviceLevel;
    }

    /** Sets the role tag ({@link #ROLE_NODE_ID}), now and after restarts. */
    public void setRoleActive(boolean active) {
        roleActive = active;
        Running current = running;
        if (current != null) {
            current.namespace.setRoleActive(active, clock.instant());
        }
    }

    public boolean isRoleActive() {
        return roleActive;
    }

    /** Adds {@code count} meters after the existing ones; their nodes appear at once if running. */
    public synchronized void addMeters(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive, was " + count);
        }
        int first = meterCount + 1;
        meterCount += count;
        if (running != null) {
            running.namespace.addMeters(first, meterCount, currentSlotStart(), clock.instant());
        }
    }

    public synchronized int meterCount() {
        return meterCount;
    }

    /** The port, also when the builder asked for any free one (0). */
    public int port() {
        return port;
    }

    public String endpointUrl() {
        return "opc.tcp://" + hostname + ":" + port + ENDPOINT_PATH;
    }

    public String applicationName() {
        return applicationName;
    }

    /** The certificate of the secured endpoints, for a client's trust list; empty if not secured. */
    public Optional<X509Certificate> serverCertificate() {
        return Optional.ofNullable(security.certificate());
    }

    private String applicationUri() {
        return "urn:busbar:simulator:" + applicationName;
    }

    /** How often the values change; one second unless the builder said otherwise. */
    public Duration updateInterval() {
        return Duration.ofMillis(updateMillis);
    }

    /**
     * How many updates (every variable set to the values of one slot) this server has published
     * since it was built. A slot whose tick comes late, after the next slot has begun, is skipped:
     * a load test compares this with the slots elapsed to see whether the server kept up.
     */
    public long publishedUpdates() {
        return publishedUpdates.get();
    }

    /** The start (epoch ms) of the update slot the clock is in. */
    private long currentSlotStart() {
        return Math.floorDiv(clock.millis(), updateMillis) * updateMillis;
    }

    private static String nodeId(MeterSignal signal) {
        return "ns=" + NAMESPACE_INDEX + ";s=" + signal.identifier();
    }

    private static int freePort(String hostname) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(hostname))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + hostname, e);
        }
    }

    /** One server run, from {@link #start()} to {@link #stop()}: Milo does not restart a server. */
    private final class Running {

        private final OpcUaServer server;
        private final MeterNamespace namespace;
        private final ScheduledExecutorService ticker;
        private long lastPublishedSlotStart;

        Running() {
            server = new OpcUaServer(serverConfig(),
                    profile -> new OpcTcpServerTransport(OpcTcpServerTransportConfig.newBuilder().build()));
            namespace = new MeterNamespace(server, NAMESPACE_URI,
                    withHistory ? new MeterHistory(clock, historyStart, updateMillis) : null, pushUpdates);
            if (namespace.getNamespaceIndex().intValue() != NAMESPACE_INDEX) {
                throw new IllegalStateException("namespace " + NAMESPACE_URI + " got index " + namespace.getNamespaceIndex());
            }
            namespace.startup();
            lastPublishedSlotStart = currentSlotStart();
            namespace.addMeters(1, meterCount, lastPublishedSlotStart, clock.instant());
            try {
                server.startup().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw shutDownAfterFailure(e);
            } catch (ExecutionException e) {
                throw shutDownAfterFailure(e.getCause());
            }
            ServerTypeNode serverNode = serverNode();
            serverNode.getServerRedundancyNode().setRedundancySupport(RedundancySupport.Hot);
            applyServiceLevel();
            namespace.setRoleActive(roleActive, clock.instant());
            ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "busbar-simulator-" + applicationName);
                thread.setDaemon(true);
                return thread;
            });
            scheduleNextTick();
        }

        void applyServiceLevel() {
            serverNode().setServiceLevel(ubyte(serviceLevel));
        }

        void shutdown() {
            ticker.shutdownNow();
            server.shutdown().join();
            namespace.shutdown();
        }

        private void tick() {
            try {
                long slotStart = currentSlotStart();
                if (frozen) {
                    lastPublishedSlotStart = Math.max(lastPublishedSlotStart, slotStart); // frozen slots never come
                } else {
                    // a tick that came late (a busy machine, a GC pause) publishes every slot it missed, in
                    // order: a real SCADA server's values do not skip a second because its host was slow
                    for (long slot = lastPublishedSlotStart + updateMillis; slot <= slotStart; slot += updateMillis) {
                        namespace.publish(slot, clock.instant());
                        lastPublishedSlotStart = slot;
                        publishedUpdates.incrementAndGet();
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("Simulated SCADA server '{}' could not publish values", applicationName, e);
            }
            scheduleNextTick();
        }

        /** Wakes up at the start of the next update slot, so the source time is that slot's start. */
        private void scheduleNextTick() {
            long delay = updateMillis - Math.floorMod(clock.millis(), updateMillis);
            ticker.schedule(this::tick, delay, TimeUnit.MILLISECONDS);
        }

        private ServerTypeNode serverNode() {
            return (ServerTypeNode) server.getAddressSpaceManager()
                    .getManagedNode(NodeIds.Server)
                    .orElseThrow(() -> new IllegalStateException("the server has no Server object"));
        }

        private IllegalStateException shutDownAfterFailure(Throwable cause) {
            server.shutdown().join();
            namespace.shutdown();
            return new IllegalStateException("could not bind " + endpointUrl(), cause);
        }

        private OpcUaServerConfig serverConfig() {
            return OpcUaServerConfig.builder()
                    .setApplicationName(LocalizedText.english(applicationName))
                    .setApplicationUri(applicationUri())
                    .setProductUri("urn:busbar:simulator")
                    .setEndpoints(security.endpoints(hostname, port, ENDPOINT_PATH))
                    .setIdentityValidator(security.identityValidator())
                    .setCertificateManager(security.certificateManager())
                    .build();
        }
    }

    /**
     * Options of a simulated server. By default it offers security policy None with anonymous access
     * only.
     */
    public static final class Builder {

        private int port;
        private int meterCount = DEFAULT_METER_COUNT;
        private String applicationName = "busbar-simulator";
        private String hostname = DEFAULT_HOSTNAME;
        private Clock clock = Clock.systemUTC();
        private Instant historyStart;
        private boolean withHistory = true;
        private boolean roleActive = true;
        private Duration updateInterval = DEFAULT_UPDATE_INTERVAL;
        private boolean pushUpdates;
        private boolean secured;
        private String username;
        private String password;

        private Builder() {}

        /** The TCP port; 0 (the default) picks a free one, which stays the same across restarts. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        public Builder meterCount(int meterCount) {
            if (meterCount < 0) {
                throw new IllegalArgumentException("meterCount must not be negative, was " + meterCount);
            }
            this.meterCount = meterCount;
            return this;
        }

        /**
         * How often every value changes (default 1 s): a whole number of milliseconds from 1 ms to
         * 1 h. Values stay a pure function of meter and slot, so two servers with the same interval
         * agree; for load tests, e.g. 100 ms for 10 updates per second.
         */
        public Builder updateInterval(Duration updateInterval) {
            Objects.requireNonNull(updateInterval, "updateInterval");
            if (updateInterval.compareTo(Duration.ofMillis(1)) < 0 || updateInterval.compareTo(Duration.ofHours(1)) > 0
                    || updateInterval.getNano() % 1_000_000 != 0) {
                throw new IllegalArgumentException(
                        "updateInterval must be a whole number of milliseconds from 1 ms to 1 h, was " + updateInterval);
            }
            this.updateInterval = updateInterval;
            return this;
        }

        /**
         * Hands every update of a meter variable to the items monitoring its value at once, like a
         * server that reports by exception, instead of sampling it at the item's sampling interval
         * (the default, and what most tests want). Every update then makes exactly one notification
         * and the server spends nothing on sampling: for load tests with many fast-changing tags.
         */
        public Builder pushUpdates(boolean pushUpdates) {
            this.pushUpdates = pushUpdates;
            return this;
        }

        /** Names the server in logs, its thread and its application URI, e.g. "primary". */
        public Builder applicationName(String applicationName) {
            this.applicationName = Objects.requireNonNull(applicationName, "applicationName");
            return this;
        }

        /** The host name in the endpoint URL, also the address the endpoint binds to. */
        public Builder hostname(String hostname) {
            this.hostname = Objects.requireNonNull(hostname, "hostname");
            return this;
        }

        /** The clock that decides the source time of published values and "now" for history. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The oldest instant HistoryRead returns values for; by default the server's construction. */
        public Builder historyStart(Instant historyStart) {
            this.historyStart = Objects.requireNonNull(historyStart, "historyStart");
            return this;
        }

        /** The initial role tag value (default true). */
        public Builder roleActive(boolean roleActive) {
            this.roleActive = roleActive;
            return this;
        }

        /** Whether the meter variables are historized; without history HistoryRead answers Bad. */
        public Builder withHistory(boolean withHistory) {
            this.withHistory = withHistory;
            return this;
        }

        /**
         * Also offers Basic256Sha256 and Aes256_Sha256_RsaPss endpoints (sign and encrypt) with a
         * self-signed certificate, see {@link #serverCertificate()}. Every client certificate is
         * accepted.
         */
        public Builder secured(boolean secured) {
            this.secured = secured;
            return this;
        }

        /** Also accepts this user, besides anonymous access. */
        public Builder user(String username, String password) {
            this.username = Objects.requireNonNull(username, "username");
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        public SimulatedScadaServer build() {
            return new SimulatedScadaServer(this);
        }
    }
}
