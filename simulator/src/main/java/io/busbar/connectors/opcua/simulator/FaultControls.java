package io.busbar.connectors.opcua.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

/**
 * The faults a {@link SimulatedScadaServer} shows when asked to: frozen values, one node's live
 * updates lost, a hung or slow server; and what a polling client's reads look like from the server.
 * The server's public face, split from it by concern: each fault holds across restarts, and the
 * current {@link ServerRun} applies it. Guarded by the server's monitor, like the server.
 */
abstract sealed class FaultControls permits SimulatedScadaServer {

    private static final Pattern METER_NODE_ID = Pattern.compile(
            "ns=" + SimulatedScadaServer.NAMESPACE_INDEX + ";s=Meter\\d{3,}\\.(" + MeterSignal.Quantity.ENERGY.browseName
                    + "|" + MeterSignal.Quantity.POWER.browseName + ")");

    final String applicationName;
    final boolean hangable;
    /** Values change at every multiple of the update interval since the epoch. */
    final UpdateSlots slots;
    final Set<NodeId> liveUpdatesDropped = ConcurrentHashMap.newKeySet();
    volatile boolean hung;
    volatile Duration answerDelay = Duration.ZERO;
    volatile Duration itemCreationDelay = Duration.ZERO;
    volatile Duration historyDelay = Duration.ZERO;
    volatile Duration subscriptionCreationDelay = Duration.ZERO;
    final AtomicInteger subscriptionChangesToRefuse = new AtomicInteger();
    /** How late the next value update comes, once; zero when on time. */
    volatile Duration nextUpdateDelay = Duration.ZERO;
    /** When each Read request for meter values arrived (from a client session; subscriptions' sampling is not a Read). */
    final Queue<Instant> meterReads = new ConcurrentLinkedQueue<>();
    /** The current run; null while stopped. */
    volatile ServerRun running;

    FaultControls(String applicationName, boolean hangable, UpdateSlots slots) {
        this.applicationName = applicationName;
        this.hangable = hangable;
        this.slots = slots;
    }

    /**
     * Stops value updates: meter values, source times and the heartbeat stay as they are, while the
     * server, its sessions and subscriptions stay up. History gets no values from the first slot
     * not published on, until {@link #unfreeze()}.
     */
    public synchronized void freeze() {
        slots.freeze(running != null);
    }

    /** Resumes value updates from the next update slot; history has values again from that slot on. */
    public synchronized void unfreeze() {
        slots.unfreeze(running != null);
    }

    public boolean isFrozen() {
        return slots.frozen();
    }

    /**
     * Stops (true) or resumes (false) the live updates of one meter variable: its value and source
     * time stay as they are, so its monitored items get nothing new, while its history keeps every
     * slot. Other nodes go on. Holds across restarts and node re-creation.
     *
     * @param nodeId a meter variable, e.g. {@link SimulatedScadaServer#powerNodeId(int) powerNodeId(3)}
     * @throws IllegalArgumentException if {@code nodeId} is not a meter variable's node id
     */
    public void dropLiveUpdates(String nodeId, boolean dropped) {
        Objects.requireNonNull(nodeId, "nodeId");
        if (!METER_NODE_ID.matcher(nodeId).matches()) {
            throw new IllegalArgumentException("dropLiveUpdates: '" + nodeId + "' is not a meter variable of the"
                    + " simulator; expected e.g. " + SimulatedScadaServer.powerNodeId(1));
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
     * @throws IllegalStateException unless built with {@link SimulatedScadaServer.Builder#hangable(boolean) hangable(true)}
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
     * @throws IllegalStateException unless built with {@link SimulatedScadaServer.Builder#hangable(boolean) hangable(true)}
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
     * Takes {@code delay} to create each batch of monitored items (zero: at once again), like a
     * server building thousands of items: a client whose CreateMonitoredItems times out meanwhile
     * does not know that the items exist. Holds across restarts; any server can be slowed so.
     */
    public synchronized void createItemsSlowly(Duration delay) {
        itemCreationDelay = Objects.requireNonNull(delay, "delay");
        if (running != null) {
            running.namespace.itemCreationDelay = delay;
        }
    }

    /**
     * Answers each HistoryRead {@code delay} late (zero: at once again), like a historian on a busy
     * disk or a server that answers history from a database: subscriptions, reads and publishing go
     * on meanwhile. Holds across restarts; any server can be slowed so.
     */
    public synchronized void answerHistorySlowly(Duration delay) {
        historyDelay = Objects.requireNonNull(delay, "delay");
        if (running != null) {
            running.namespace.historyDelay = delay;
        }
    }

    /**
     * Answers each CreateSubscription {@code delay} late (zero: at once again) while the subscription
     * exists on the server at once, like a busy server: a client whose request times out meanwhile
     * does not know of the subscription, which stays in its session. Only CreateSubscription is
     * slowed (keep-alives and publishing are not). Holds across restarts; any server can be slowed so.
     */
    public void createSubscriptionsSlowly(Duration delay) {
        subscriptionCreationDelay = Objects.requireNonNull(delay, "delay");
    }

    /**
     * Refuses the next {@code times} ModifySubscription requests with {@code Bad_ServiceUnsupported},
     * like a server that keeps a subscription's parameters as created; the subscriptions themselves
     * go on publishing. Counts across restarts.
     */
    public void refuseSubscriptionChanges(int times) {
        subscriptionChangesToRefuse.set(times);
    }

    /**
     * Makes the next value update come {@code delay} late, once, like a SCADA host that stalled (a
     * GC pause, a busy disk): the update then sets every slot it missed, in order, so history holds
     * each one while the server's sampling, and so every monitored item, sees only the last — the
     * live stream skips a slot. Updates after it come on time again.
     */
    public synchronized void delayNextUpdate(Duration delay) {
        nextUpdateDelay = Objects.requireNonNull(delay, "delay");
        if (running != null) {
            running.rescheduleTick();
        }
    }

    /**
     * When each Read request that asked for meter values arrived at the server, oldest first, across
     * restarts: what a polling client's tries look like from the server's side.
     */
    public List<Instant> meterReads() {
        return List.copyOf(meterReads);
    }

    /** TCP connections accepted on the server's port since the last start; for hang tests (0 unless hangable). */
    synchronized int acceptedConnections() {
        return running == null || running.relay == null ? 0 : running.relay.acceptedConnections();
    }

    /** TCP connections open on the server's port now; for hang tests (0 unless hangable). */
    synchronized int openConnections() {
        return running == null || running.relay == null ? 0 : running.relay.openConnections();
    }
}
