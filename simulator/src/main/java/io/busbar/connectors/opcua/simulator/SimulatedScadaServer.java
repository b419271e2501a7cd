package io.busbar.connectors.opcua.simulator;

import io.busbar.support.FreePorts;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
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
 *   <li><b>Slow history</b> ({@link #answerHistorySlowly(Duration)}): every HistoryRead is answered
 *       that much later while subscriptions and reads go on ({@link #historyReadsAnswered()} counts
 *       the answers), like a historian on a busy disk.
 *   <li><b>Slow to create</b> ({@link #createItemsSlowly(Duration)}, {@link
 *       #createSubscriptionsSlowly(Duration)}): monitored items or subscriptions exist on the server
 *       before the client, which may have timed out, hears of them.
 * </ul>
 *
 * <p>It offers security policy None with anonymous access; the builder can add secured endpoints
 * and a user.
 */
public final class SimulatedScadaServer extends FaultControls implements AutoCloseable {

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

    /* Package-private fields: the settings and state a ServerRun works with. */
    final String hostname;
    final int port;
    final Clock clock;
    final Instant historyStart;
    /** Null for a server without history; otherwise which meter variables (node id text) have history. */
    final Predicate<String> historized;
    final NodeChurn nodeChurn;
    final SimulatorSecurity security;
    final boolean pushUpdates;

    /*
     * Guarded by this server's monitor: start/stop, meterCount, the meter nodes' existence and the
     * update slots, so that a tick never publishes into a freeze, a deletion or a restart half done.
     */
    int meterCount;
    volatile int serviceLevel = MAX_SERVICE_LEVEL;
    volatile boolean roleActive;

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
        super(builder.applicationName, builder.hangable, new UpdateSlots(builder.clock, builder.updateInterval.toMillis()));
        this.hostname = builder.hostname;
        this.port = builder.port == 0 ? FreePorts.freeOn(builder.hostname) : builder.port;
        this.clock = builder.clock;
        this.historyStart = builder.historyStart != null ? builder.historyStart : clock.instant();
        this.historized = builder.historized;
        this.nodeChurn = builder.nodeChurn;
        this.meterCount = builder.meterCount;
        this.roleActive = builder.roleActive;
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
            running = new ServerRun(this);
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
     * Sets the standard {@code Server/ServiceLevel} (ns=0;i=2267) this server reports, now and after
     * restarts: 0 maintenance, 1 no data, 2..199 degraded, 200..255 healthy (OPC UA Part 4 §6.6, redundancy).
     */
    public void setServiceLevel(int level) {
        if (level < 0 || level > MAX_SERVICE_LEVEL) {
            throw new IllegalArgumentException("service level must be 0..255, was " + level);
        }
        serviceLevel = level;
        ServerRun current = running;
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
            running.namespace.addMeters(first, meterCount, slots.valuesSlotStart(), clock.instant());
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

    String applicationUri() {
        return "urn:busbar:simulator:" + applicationName;
    }

    /** How often the values change; one second unless the builder said otherwise. */
    public Duration updateInterval() {
        return Duration.ofMillis(slots.updateMillis());
    }

    /**
     * How many updates (every variable set to the values of one slot) this server has published
     * since it was built. A tick that comes late publishes every slot it missed, each counted; the
     * server's sampling, and so its monitored items, sees only the last of them.
     */
    public long publishedUpdates() {
        return slots.published();
    }

    /**
     * How many monitored items the running server holds, over all sessions and subscriptions (0 when
     * stopped): a client that leaks items on reconnects shows here before the server's quota runs out.
     */
    public synchronized int monitoredItemCount() {
        return running == null ? 0 : running.monitoredItemCount();
    }

    /** HistoryRead requests of meter nodes the running server has answered since it started (0 when stopped). */
    public synchronized int historyReadsAnswered() {
        return running == null ? 0 : running.namespace.historyAnswers.get();
    }

    /**
     * The most meter items one CreateMonitoredItems call created since the server started (0 when
     * stopped): what a client asks of a server whose per-call limit it does not know.
     */
    public synchronized int largestItemCreationCall() {
        return running == null ? 0 : running.namespace.largestItemCreation.get();
    }

    /** How many subscriptions the running server holds, over all sessions (0 when stopped). */
    public synchronized int subscriptionCount() {
        return running == null ? 0 : running.subscriptionCount();
    }

    /**
     * The most subscriptions one session of the running server holds (0 when stopped): what counts
     * against a server's subscriptions-per-session quota, and what a client's publish requests keep
     * alive. A subscription left in a session the client gave up (its connection was lost and it
     * opened a new one) is counted apart: nothing keeps it alive, it ends with its lifetime.
     */
    public synchronized int mostSubscriptionsInOneSession() {
        return running == null ? 0 : running.mostSubscriptionsInOneSession();
    }

    /**
     * The publishing interval in ms of each subscription with monitored items the running server
     * holds, as the server revised it (empty when stopped): what a client asked for last.
     */
    public synchronized List<Double> publishingIntervals() {
        return running == null ? List.of() : running.publishingIntervals();
    }

    /**
     * Each subscription's countdowns (empty when stopped), for a client that must hear from the server
     * before the server gives its subscription up: a keep-alive is sent when its countdown ends, and
     * the subscription is dropped ("timed out") when the lifetime's ends first.
     */
    public synchronized List<Countdowns> countdowns() {
        return running == null ? List.of() : running.countdowns();
    }

    /**
     * A subscription's countdowns, in publishing intervals: to its next keep-alive (when nothing else
     * is sent) and to the end of its lifetime (restarted whenever the client's publish request is used).
     */
    public record Countdowns(double publishingIntervalMs, long toKeepAlive, long toLifetimeEnd) {

        /** The server's next keep-alive comes before it would drop the subscription. */
        public boolean keepAliveComesFirst() {
            return toKeepAlive < toLifetimeEnd;
        }
    }

    /** Whether the meter nodes should exist now. */
    boolean metersWanted() {
        return nodeChurn == NodeChurn.NONE || roleActive;
    }

    private static String nodeId(MeterSignal signal) {
        return "ns=" + NAMESPACE_INDEX + ";s=" + signal.identifier();
    }

    /**
     * Options of a simulated server (see {@link ServerOptions}). By default it offers security policy
     * None with anonymous access only.
     */
    public static final class Builder extends ServerOptions {

        private Builder() {}

        public SimulatedScadaServer build() {
            return new SimulatedScadaServer(this);
        }
    }
}
