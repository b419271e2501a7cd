package io.busbar.connectors.opcua.simulator;

import io.busbar.support.DaemonThreads;
import io.busbar.support.FreePorts;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ubyte;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.model.objects.ServerTypeNode;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
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
 * from the history start up to now, except the seconds the server was frozen (see below); the time
 * it was stopped has values, as if its historian collected from the field devices on its own.
 *
 * <p>For load tests {@link Builder#updateInterval} makes it update faster (or slower) than once a
 * second: every slot of that length (slot n starts at n × the interval since the epoch) gets the
 * values of that instant, with the slot start as source time, and history has one value per slot.
 * Servers with the same interval still agree value for value. {@link Builder#pushUpdates} hands
 * updates to monitored items directly instead of sampling them, so that fast load costs the server
 * little.
 *
 * <p>Controls for demos and tests: {@link #stop()} and {@link #start()} again on the same port (a
 * server restart: clients lose their sessions and subscriptions), {@link #setServiceLevel(int)},
 * {@link #setRoleActive(boolean)}, and {@link #addMeters(int)} (node ids that did not exist before
 * appear at runtime).
 *
 * <p>It behaves like real SCADA servers do when asked to (each is tested in the simulator's tests):
 * <ul>
 *   <li><b>History for some nodes only</b> ({@link Builder#historized}): e.g. energy registers but not
 *       instantaneous power. A HistoryRead answers each node on its own: a node without history
 *       gets {@code Bad_HistoryOperationUnsupported} while the other nodes of the same request get
 *       their values. Such a node has neither the HistoryRead access level nor Historizing set.
 *       {@link Builder#withHistory withHistory(false)} is the same for every node.
 *   <li><b>Frozen</b> ({@link #freeze()}, {@link #unfreeze()}): a stuck data acquisition. The meter
 *       values, their source times and the {@link #HEARTBEAT_NODE_ID heartbeat} stop; the session,
 *       subscriptions, reads, the role tag and ServiceLevel all work on. Monitored items of meter
 *       nodes get no notification while frozen. History has no values for the frozen slots (a
 *       historian records nothing new), also after the server is unfrozen or restarted.
 *   <li><b>Meter nodes only while active</b> ({@link Builder#nodeChurn}), like NETx, whose metering
 *       items exist only on the active server of a pair: when {@link #setRoleActive(boolean)} makes
 *       it the standby the meter folders and variables are deleted from the address space, and when
 *       it makes it active again new nodes with the same node ids are created. See {@link NodeChurn}
 *       for what existing monitored items see.
 *   <li><b>One node's live updates lost</b> ({@link #dropLiveUpdates(String, boolean)}): the node's
 *       value and source time stop, so its monitored items get nothing new, while its history still
 *       has every slot (a driver point whose live path is broken).
 *   <li><b>Hung</b> ({@link Builder#hangable}, {@link #hang()}, {@link #unhang()}): the TCP port
 *       stays open and accepts connections, existing connections stay up, but no byte passes either
 *       way, so every request times out without the connection dropping. The server sits behind a
 *       relay on {@link #port()} for this; it advertises its own (internal) port in its endpoint
 *       descriptions, so clients must connect to the URL they were given, as Busbar does.
 *   <li><b>Slow</b> ({@link Builder#hangable}, {@link #answerSlowly(Duration)}): every answer reaches
 *       the client that much later (requests arrive at once; {@link #meterReads()} shows when).
 * </ul>
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
    private static final Pattern METER_NODE_ID = Pattern.compile(
            "ns=" + NAMESPACE_INDEX + ";s=Meter\\d{3,}\\.(" + MeterSignal.Quantity.ENERGY.browseName + "|"
                    + MeterSignal.Quantity.POWER.browseName + ")");

    private final String applicationName;
    private final String hostname;
    private final int port;
    private final Clock clock;
    private final Instant historyStart;
    /** Null for a server without history; otherwise which meter variables (node id text) have history. */
    private final Predicate<String> historized;
    private final NodeChurn nodeChurn;
    private final boolean hangable;
    private final SimulatorSecurity security;
    /** The update interval in milliseconds: values change at every multiple of it since the epoch. */
    private final long updateMillis;
    private final boolean pushUpdates;

    /*
     * Guarded by this server's monitor: start/stop, meterCount, the meter nodes' existence, frozen
     * and the two slot fields, so that a tick never publishes into a freeze, a deletion or a restart
     * half done.
     */
    private int meterCount;
    private volatile boolean frozen;
    /** The last update slot (epoch ms of its start) the ticker dealt with, published or skipped frozen. */
    private long lastHandledSlotStart;
    /** The update slot whose values the meter nodes hold: the last one published. */
    private long valuesSlotStart = Long.MIN_VALUE;
    private final HistoryGaps historyGaps = new HistoryGaps();
    private final Set<NodeId> liveUpdatesDropped = ConcurrentHashMap.newKeySet();
    private final AtomicLong publishedUpdates = new AtomicLong();
    private volatile int serviceLevel = MAX_SERVICE_LEVEL;
    private volatile boolean roleActive;
    private volatile boolean hung;
    private volatile Duration answerDelay = Duration.ZERO;
    /** When each Read request for meter values arrived (from a client session; subscriptions' sampling is not a Read). */
    private final java.util.Queue<Instant> meterReads = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private volatile Running running;

    /**
     * What happens to a server's meter nodes, and to the monitored items on them, when its role
     * changes ({@link #setRoleActive(boolean)}).
     */
    public enum NodeChurn {
        /** The meter nodes exist whatever the role (the default). */
        NONE,
        /**
         * The meter nodes exist only while the role is active. What Milo does by itself: a monitored
         * item on a deleted node gets one notification with status {@code Bad_NodeIdUnknown} (no
         * value, no source time), then nothing; when the node is created again the same item gets
         * the new node's values without the client doing anything, because Milo samples by node id.
         */
        ITEMS_RESUME,
        /**
         * The meter nodes exist only while the role is active, and monitored items die with their
         * node, as in servers that bind an item to the node object rather than to its id (what the
         * independent server pair of issue 11 did): an item on a deleted node gets one notification with status {@code
         * Bad_NodeIdUnknown} and then nothing ever again, also after the node is created again,
         * until the client deletes the item and creates a new one. Reads, browsing and new items
         * see the re-created nodes at once. Meter items are pushed in this mode (see {@link
         * Builder#pushUpdates}); their notifications are the same as sampled ones.
         */
        ITEMS_STAY_DEAD
    }

    private SimulatedScadaServer(Builder builder) {
        this.applicationName = builder.applicationName;
        this.hostname = builder.hostname;
        this.port = builder.port == 0 ? FreePorts.freeOn(builder.hostname) : builder.port;
        this.clock = builder.clock;
        this.historyStart = builder.historyStart != null ? builder.historyStart : clock.instant();
        this.historized = builder.historized;
        this.nodeChurn = builder.nodeChurn;
        this.hangable = builder.hangable;
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

    /** Whether a node id is a meter's Energy variable: the ones that {@code historized(...)} often keeps. */
    public static boolean isEnergyNode(String nodeId) {
        return nodeId.startsWith("ns=" + NAMESPACE_INDEX + ";s=Meter")
                && nodeId.endsWith("." + MeterSignal.Quantity.ENERGY.browseName);
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
                    applicationName, endpointUrl(), meterCount, historized == null ? "off" : "on");
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

    /**
     * Stops value updates: meter values, source times and the heartbeat stay as they are, while the
     * server, its sessions and subscriptions stay up. History gets no values from the first slot
     * not published on, until {@link #unfreeze()}.
     */
    public synchronized void freeze() {
        if (!frozen) {
            frozen = true;
            historyGaps.open(nextUnhandledSlotStart());
        }
    }

    /** Resumes value updates from the next update slot; history has values again from that slot on. */
    public synchronized void unfreeze() {
        if (frozen) {
            frozen = false;
            historyGaps.close(nextUnhandledSlotStart());
        }
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

    /**
     * Sets the role tag ({@link #ROLE_NODE_ID}), now and after restarts. With a {@link NodeChurn}
     * other than NONE it also deletes the meter nodes (standby) or creates them again (active).
     */
    public synchronized void setRoleActive(boolean active) {
        roleActive = active;
        if (running != null) {
            running.applyRole();
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
        if (running != null && metersWanted()) {
            running.namespace.addMeters(first, meterCount, valuesSlotStart, clock.instant());
        }
    }

    /**
     * Stops (true) or resumes (false) the live updates of one meter variable: its value and source
     * time stay as they are, so its monitored items get nothing new, while its history keeps every
     * slot. Other nodes go on. Holds across restarts and node re-creation.
     *
     * @param nodeId a meter variable, e.g. {@link #powerNodeId(int) powerNodeId(3)}
     * @throws IllegalArgumentException if {@code nodeId} is not a meter variable's node id
     */
    public void dropLiveUpdates(String nodeId, boolean dropped) {
        Objects.requireNonNull(nodeId, "nodeId");
        if (!METER_NODE_ID.matcher(nodeId).matches()) {
            throw new IllegalArgumentException("dropLiveUpdates: '" + nodeId + "' is not a meter variable of the"
                    + " simulator; expected e.g. " + powerNodeId(1));
        }
        NodeId parsed = NodeId.parse(nodeId);
        if (dropped) {
            liveUpdatesDropped.add(parsed);
        } else {
            liveUpdatesDropped.remove(parsed);
        }
    }

    /**
     * Hangs the server: its port keeps accepting connections and open connections stay up, but no
     * byte passes either way until {@link #unhang()}. Holds across restarts.
     *
     * @throws IllegalStateException unless built with {@link Builder#hangable(boolean) hangable(true)}
     */
    public void hang() {
        setHung(true);
    }

    /** Passes bytes again, those held while hung first. */
    public void unhang() {
        setHung(false);
    }

    public boolean isHung() {
        return hung;
    }

    private synchronized void setHung(boolean value) {
        if (!hangable) {
            throw new IllegalStateException("server '" + applicationName + "' cannot hang: build it with hangable(true)");
        }
        hung = value;
        if (running != null) {
            running.relay.setHung(value);
        }
    }

    /**
     * Answers every request {@code delay} late from now on (zero: at once again), like an overloaded
     * server or a congested link; the session stays up as long as the client's keep-alive timeout
     * allows it. Holds across restarts.
     *
     * @throws IllegalStateException unless built with {@link Builder#hangable(boolean) hangable(true)}
     */
    public synchronized void answerSlowly(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (!hangable) {
            throw new IllegalStateException("server '" + applicationName + "' cannot be slowed: build it with hangable(true)");
        }
        answerDelay = delay;
        if (running != null) {
            running.relay.setAnswerDelay(delay);
        }
    }

    /**
     * When each Read request that asked for meter values arrived at the server, oldest first, across
     * restarts: what a polling client's tries look like from the server's side.
     */
    public List<Instant> meterReads() {
        return List.copyOf(meterReads);
    }

    /** TCP connections accepted on {@link #port()} since the last start; for hang tests (0 unless hangable). */
    synchronized int acceptedConnections() {
        return running == null || running.relay == null ? 0 : running.relay.acceptedConnections();
    }

    /** TCP connections open on {@link #port()} now; for hang tests (0 unless hangable). */
    synchronized int openConnections() {
        return running == null || running.relay == null ? 0 : running.relay.openConnections();
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

    /** The first slot whose tick has not run yet: the next one to be published, or to be skipped frozen. */
    private long nextUnhandledSlotStart() {
        return (running != null ? lastHandledSlotStart : currentSlotStart()) + updateMillis;
    }

    /** Whether the meter nodes should exist now. */
    private boolean metersWanted() {
        return nodeChurn == NodeChurn.NONE || roleActive;
    }

    private static String nodeId(MeterSignal signal) {
        return "ns=" + NAMESPACE_INDEX + ";s=" + signal.identifier();
    }

    /** One server run, from {@link #start()} to {@link #stop()}: Milo does not restart a server. */
    private final class Running {

        private final OpcUaServer server;
        private final MeterNamespace namespace;
        private final ScheduledExecutorService ticker;
        /** In front of the server when hangable, else null. */
        private final HangableRelay relay;

        /** Called with the server's monitor held. */
        Running() {
            // when hangable the relay takes the public port and the server binds a private one
            int serverPort = hangable ? FreePorts.freeOn(hostname) : port;
            server = new OpcUaServer(serverConfig(serverPort),
                    profile -> new OpcTcpServerTransport(OpcTcpServerTransportConfig.newBuilder().build()));
            MeterHistory history = historized == null ? null
                    : new MeterHistory(clock, historyStart, updateMillis, historyGaps);
            namespace = new MeterNamespace(server, NAMESPACE_URI, new MeterNamespace.Options(
                    history, historized == null ? nodeId -> false : historized, pushUpdates, nodeChurn,
                    liveUpdatesDropped, meterReads, clock));
            if (namespace.getNamespaceIndex().intValue() != NAMESPACE_INDEX) {
                throw new IllegalStateException("namespace " + NAMESPACE_URI + " got index " + namespace.getNamespaceIndex());
            }
            namespace.startup();
            lastHandledSlotStart = currentSlotStart();
            // a restarted frozen server still shows its frozen values
            if (!frozen || valuesSlotStart == Long.MIN_VALUE) {
                valuesSlotStart = lastHandledSlotStart;
            }
            if (metersWanted()) {
                namespace.addMeters(1, meterCount, valuesSlotStart, clock.instant());
            }
            try {
                server.startup().get();
                relay = hangable ? new HangableRelay(hostname, port, serverPort, applicationName, hung) : null;
                if (relay != null) {
                    relay.setAnswerDelay(answerDelay);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw shutDownAfterFailure(e);
            } catch (ExecutionException e) {
                throw shutDownAfterFailure(e.getCause());
            } catch (IOException e) {
                throw shutDownAfterFailure(e);
            }
            ServerTypeNode serverNode = serverNode();
            serverNode.getServerRedundancyNode().setRedundancySupport(RedundancySupport.Hot);
            applyServiceLevel();
            namespace.setRoleActive(roleActive, clock.instant());
            ticker = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("busbar-simulator-" + applicationName));
            scheduleNextTick();
        }

        void applyServiceLevel() {
            serverNode().setServiceLevel(ubyte(serviceLevel));
        }

        /** Deletes or creates the meter nodes to match the role, for servers with node churn. */
        void applyRole() {
            namespace.setRoleActive(roleActive, clock.instant());
            if (nodeChurn == NodeChurn.NONE) {
                return;
            }
            if (roleActive && !namespace.hasMeters()) {
                namespace.addMeters(1, meterCount, valuesSlotStart, clock.instant());
            } else if (!roleActive && namespace.hasMeters()) {
                namespace.removeMeters(clock.instant());
            }
        }

        void shutdown() {
            ticker.shutdownNow();
            if (relay != null) {
                relay.close();
            }
            server.shutdown().join();
            namespace.shutdown();
        }

        private void tick() {
            synchronized (SimulatedScadaServer.this) {
                if (running != this) {
                    return; // stopped while this tick waited for the monitor
                }
                try {
                    long slotStart = currentSlotStart();
                    if (frozen) {
                        // frozen slots never come, and the open history gap already covers them
                        lastHandledSlotStart = Math.max(lastHandledSlotStart, slotStart);
                    } else {
                        // a tick that came late (a busy machine, a GC pause) publishes every slot it missed, in
                        // order: a real SCADA server's values do not skip a second because its host was slow
                        for (long slot = lastHandledSlotStart + updateMillis; slot <= slotStart; slot += updateMillis) {
                            namespace.publish(slot, clock.instant());
                            lastHandledSlotStart = slot;
                            valuesSlotStart = slot;
                            publishedUpdates.incrementAndGet();
                        }
                    }
                } catch (RuntimeException e) {
                    LOG.warn("Simulated SCADA server '{}' could not publish values", applicationName, e);
                }
                scheduleNextTick();
            }
        }

        /** Wakes up at the start of the next update slot, so the source time is that slot's start. */
        private void scheduleNextTick() {
            long delay = updateMillis - Math.floorMod(clock.millis(), updateMillis);
            try {
                ticker.schedule(this::tick, delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopped) {
                // the server is being stopped
            }
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

        private OpcUaServerConfig serverConfig(int serverPort) {
            return OpcUaServerConfig.builder()
                    .setApplicationName(LocalizedText.english(applicationName))
                    .setApplicationUri(applicationUri())
                    .setProductUri("urn:busbar:simulator")
                    .setEndpoints(security.endpoints(hostname, serverPort, ENDPOINT_PATH))
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
        private Predicate<String> historized = nodeId -> true;
        private NodeChurn nodeChurn = NodeChurn.NONE;
        private boolean hangable;
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

        /**
         * Whether the meter variables are historized (default true); without history HistoryRead
         * answers {@code Bad_HistoryOperationUnsupported} for every node. Replaces {@link
         * #historized}: the last of the two called wins.
         */
        public Builder withHistory(boolean withHistory) {
            this.historized = withHistory ? nodeId -> true : null;
            return this;
        }

        /**
         * Historizes only the meter variables whose node id (e.g. {@code ns=2;s=Meter001.Power})
         * passes the test, e.g. {@code historized(SimulatedScadaServer::isEnergyNode)} for a server
         * that keeps energy registers but not instantaneous power. The other variables answer
         * HistoryRead with {@code Bad_HistoryOperationUnsupported}, node by node. Replaces {@link
         * #withHistory}: the last of the two called wins.
         */
        public Builder historized(Predicate<String> nodeIds) {
            this.historized = Objects.requireNonNull(nodeIds, "nodeIds");
            return this;
        }

        /** Whether the meter nodes exist only while the role is active (default {@link NodeChurn#NONE}). */
        public Builder nodeChurn(NodeChurn nodeChurn) {
            this.nodeChurn = Objects.requireNonNull(nodeChurn, "nodeChurn");
            return this;
        }

        /**
         * Puts a relay in front of the server so that {@link #hang()} can stop every byte while the
         * port stays open (default false: clients connect to the server directly).
         */
        public Builder hangable(boolean hangable) {
            this.hangable = hangable;
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
