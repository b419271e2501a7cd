package io.busbar.redundancy;

import io.busbar.mappings.model.Quality;
import io.busbar.mappings.model.ServerRole;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What has been seen of one server of a pair: connection, ServiceLevel, the criterion nodes, how its
 * source times advance and how many of its monitored items are dead. The OPC UA source feeds it from
 * Milo's threads as events arrive; the {@link PairSelector} reads it when it evaluates. It stores
 * facts only and judges nothing, except that it remembers the latest observation that by itself made
 * the server unhealthy ({@link #lastFaultAt()}), so a dip shorter than the evaluation period still
 * restarts a failback's healthy period.
 *
 * <p>Every {@code at} is the time Busbar observed the event, on the selector's clock; never a
 * server's source or server timestamp, whose clock may be off.
 *
 * <p>Thread-safe. {@link #value} is called for every sample of the server, so samples of nodes that
 * are not criterion nodes only move {@link #lastValueAt()}, without taking the lock.
 */
public final class ServerObservations {

    private final HealthCriteria criteria;
    private final ServerRole server;
    private final PartnerLag partnerLag;
    private final Optional<String> heartbeatNode;
    private final Optional<RoleCriterion> role;
    private final Set<String> watchNodes;
    private final Set<String> criterionNodes;
    private final AtomicReference<Instant> lastValueAt = new AtomicReference<>();

    // guarded by this
    private boolean connected;
    private String notConnectedBecause;
    private Instant connectedSince;
    private Integer serviceLevel;
    private Object heartbeatValue;
    private Instant heartbeatChangedAt;
    private String roleValue;
    private Quality roleQuality;
    private final Map<String, Quality> watchQualities = new LinkedHashMap<>();
    private Instant lastFaultAt;
    private boolean tried;
    private Instant newestSourceTime;
    private Instant sourceAdvancedAt;
    private int batchesSinceConnected;
    private boolean advancingSinceConnected;
    private int deadItems;
    private int items;

    /** Observations of a server on its own, with no partner to compare its source times with. */
    ServerObservations(HealthCriteria criteria) {
        this(criteria, ServerRole.PRIMARY, new PartnerLag(criteria.staleAfter()));
    }

    /** @param partnerLag shared with the partner server's observations */
    ServerObservations(HealthCriteria criteria, ServerRole server, PartnerLag partnerLag) {
        this.criteria = Objects.requireNonNull(criteria, "criteria");
        this.server = Objects.requireNonNull(server, "server");
        this.partnerLag = Objects.requireNonNull(partnerLag, "partnerLag");
        this.heartbeatNode = criteria.heartbeat().map(HeartbeatCriterion::nodeId);
        this.role = criteria.role();
        this.watchNodes = Set.copyOf(criteria.watchNodes());
        this.criterionNodes = new HashSet<>(criteria.criterionNodeIds());
    }

    /**
     * The session came up or went down. Repeating the current state changes nothing. Going down
     * forgets the ServiceLevel, the role value and the watch-node qualities: they described a
     * session that is gone, and the source reads them again on reconnection. The newest source time
     * and the dead-item counts are kept: the first is a fact about the data, the second is reported
     * again when the source re-creates its items.
     */
    public synchronized void connected(boolean connected, Instant at) {
        connected(connected, null, at);
    }

    /**
     * As {@link #connected(boolean, Instant)}, with why a server is not connected when that is more
     * than "no session" (a polled server that stopped answering: "connection lost — ..."); null when
     * connected or when there is nothing to add.
     */
    public synchronized void connected(boolean connected, String notConnectedBecause, Instant at) {
        Objects.requireNonNull(at, "at");
        this.notConnectedBecause = connected ? null : notConnectedBecause;
        if (!connected) {
            fault(at);
        }
        if (connected == this.connected) {
            return;
        }
        this.connected = connected;
        if (connected) {
            tried = true;
            connectedSince = at;
            batchesSinceConnected = 0;
            advancingSinceConnected = false;
            partnerLag.restart(server); // a new session gets the same grace as a new start
        } else {
            connectedSince = null;
            serviceLevel = null;
            roleValue = null;
            roleQuality = null;
            watchQualities.clear();
        }
    }

    /**
     * An attempt to connect failed (refused, timed out, untrusted certificate …). Only the fact that
     * the server was tried matters here: in co-located mode the first selection waits until both
     * servers were tried, so that a server which is merely slower to answer is not passed over.
     */
    public synchronized void connectFailed(Instant at) {
        Objects.requireNonNull(at, "at");
        tried = true;
        fault(at);
    }

    /**
     * A batch of samples arrived whose newest source time is {@code newestSourceTime}: the newest
     * among the batch's samples of mapped (meter) nodes that carry a source time. Call it for every
     * such batch. The source time is kept on the server's clock, {@code at} on Busbar's.
     *
     * <p>The server counts as <em>advancing</em> when a batch other than the first of a session
     * carries a source time later than every one seen before. The first batch is usually the new
     * subscription's initial values, which a frozen server delivers as readily as a live one; not
     * counting it also makes an instance that has just started judge like one that has run for
     * hours, which knew those values already.
     */
    public synchronized void sourceTime(Instant newestSourceTime, Instant at) {
        Objects.requireNonNull(newestSourceTime, "newestSourceTime");
        Objects.requireNonNull(at, "at");
        batchesSinceConnected++;
        if (this.newestSourceTime != null && !newestSourceTime.isAfter(this.newestSourceTime)) {
            return;
        }
        this.newestSourceTime = newestSourceTime;
        if (batchesSinceConnected > 1) {
            sourceAdvancedAt = at;
            advancingSinceConnected = true;
            partnerLag.advanced(server, at);
        }
    }

    /**
     * How many of the server's monitored items (of mapped nodes) are dead now: rejected at creation
     * or reporting {@code Bad_NodeIdUnknown} / {@code Bad_NodeIdInvalid}, i.e. the server does not
     * have the node. Report it after each (re)creation of the items and whenever the count changes.
     *
     * @param dead  0..total
     * @param total the items there should be
     */
    public synchronized void items(int dead, int total, Instant at) {
        Objects.requireNonNull(at, "at");
        if (total < 0 || dead < 0 || dead > total) {
            throw new IllegalArgumentException("dead items must be 0.." + total + " and total at least 0; got "
                    + dead + " of " + total);
        }
        deadItems = dead;
        items = total;
        if (HealthJudge.mostlyDead(dead, total)) {
            fault(at);
        }
    }

    /** The server's {@code ServiceLevel} (ns=0;i=2267), 0..255, was read or reported. */
    public synchronized void serviceLevel(int level, Instant at) {
        Objects.requireNonNull(at, "at");
        if (level < 0 || level > 255) {
            throw new IllegalArgumentException("ServiceLevel is a byte, 0..255; got " + level);
        }
        serviceLevel = level;
        if (level < HealthJudge.LOWEST_USABLE_SERVICE_LEVEL
                || (criteria.serviceLevel() && level < criteria.serviceLevelThreshold())) {
            fault(at);
        }
    }

    /**
     * A sample of any node of this server arrived.
     *
     * @param value      its value as a Java object (Boolean, a Number, String …); may be null
     * @param statusCode its OPC UA StatusCode, as an unsigned 32-bit value in a long
     */
    public void value(String nodeId, Object value, long statusCode, Instant at) {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(at, "at");
        lastValueAt.accumulateAndGet(at, (a, b) -> a == null || b.isAfter(a) ? b : a);
        if (!criterionNodes.contains(nodeId)) {
            return;
        }
        Quality quality = Quality.ofStatusCode(statusCode);
        synchronized (this) {
            // a Bad heartbeat sample carries no value to compare: it is no sign of life
            if (heartbeatNode.filter(nodeId::equals).isPresent() && quality != Quality.BAD) {
                if (heartbeatChangedAt == null || !Objects.deepEquals(heartbeatValue, value)) {
                    heartbeatChangedAt = at;
                }
                heartbeatValue = value;
            }
            if (role.isPresent() && role.get().nodeId().equals(nodeId)) {
                roleQuality = quality;
                roleValue = quality == Quality.BAD ? null : text(value);
                if (roleValue == null || !roleValue.equalsIgnoreCase(role.get().activeValue())) {
                    fault(at);
                }
            }
            if (watchNodes.contains(nodeId)) {
                watchQualities.put(nodeId, quality);
                if (quality != Quality.GOOD) {
                    fault(at);
                }
            }
        }
    }

    public synchronized boolean isConnected() {
        return connected;
    }

    /** When the current session came up; empty while not connected. */
    public synchronized Optional<Instant> connectedSince() {
        return Optional.ofNullable(connectedSince);
    }

    /** The latest ServiceLevel of the current session; empty while not known. */
    public synchronized OptionalInt serviceLevel() {
        return serviceLevel == null ? OptionalInt.empty() : OptionalInt.of(serviceLevel);
    }

    /** When the latest sample of any node arrived. */
    public Optional<Instant> lastValueAt() {
        return Optional.ofNullable(lastValueAt.get());
    }

    /** When the heartbeat node's value last changed (its first sample counts as a change). */
    public synchronized Optional<Instant> heartbeatChangedAt() {
        return Optional.ofNullable(heartbeatChangedAt);
    }

    /** The role node's latest value as text; empty while not read or when its quality is Bad. */
    public synchronized Optional<String> roleValue() {
        return Optional.ofNullable(roleValue);
    }

    /** The latest quality of a watch node; empty while not read. */
    public synchronized Optional<Quality> watchQuality(String nodeId) {
        return Optional.ofNullable(watchQualities.get(nodeId));
    }

    /** The latest observation that by itself made the server unhealthy, e.g. a low ServiceLevel. */
    public synchronized Optional<Instant> lastFaultAt() {
        return Optional.ofNullable(lastFaultAt);
    }

    /** The newest source time any batch carried (the server's clock). */
    public synchronized Optional<Instant> newestSourceTime() {
        return Optional.ofNullable(newestSourceTime);
    }

    /** When (Busbar's clock) the server last advanced (see {@link #sourceTime}). */
    public synchronized Optional<Instant> sourceAdvancedAt() {
        return Optional.ofNullable(sourceAdvancedAt);
    }

    /** Dead monitored items as last reported; 0 before any report. */
    public synchronized int deadItems() {
        return deadItems;
    }

    /** All monitored items as last reported; 0 before any report. */
    public synchronized int items() {
        return items;
    }

    synchronized Snapshot snapshot() {
        return new Snapshot(connected, Optional.ofNullable(notConnectedBecause), Optional.ofNullable(connectedSince),
                serviceLevel == null ? OptionalInt.empty() : OptionalInt.of(serviceLevel),
                Optional.ofNullable(lastValueAt.get()), Optional.ofNullable(heartbeatChangedAt),
                Optional.ofNullable(roleValue), Optional.ofNullable(roleQuality), Map.copyOf(watchQualities),
                Optional.ofNullable(lastFaultAt), tried, Optional.ofNullable(newestSourceTime),
                Optional.ofNullable(sourceAdvancedAt), advancingSinceConnected, partnerLag.behindSince(server),
                deadItems, items);
    }

    /**
     * One consistent reading of all the fields, for one evaluation.
     *
     * @param notConnectedBecause    what more there is to say about a server that is not connected
     * @param tried                  it connected, or an attempt failed, at least once
     * @param advancingSinceConnected it advanced (see {@link #sourceTime}) since the session came up
     * @param behindSince            since when it has been silent while the partner's source times
     *                               advanced ({@link PartnerLag})
     */
    record Snapshot(
            boolean connected,
            Optional<String> notConnectedBecause,
            Optional<Instant> connectedSince,
            OptionalInt serviceLevel,
            Optional<Instant> lastValueAt,
            Optional<Instant> heartbeatChangedAt,
            Optional<String> roleValue,
            Optional<Quality> roleQuality,
            Map<String, Quality> watchQualities,
            Optional<Instant> lastFaultAt,
            boolean tried,
            Optional<Instant> newestSourceTime,
            Optional<Instant> sourceAdvancedAt,
            boolean advancingSinceConnected,
            Optional<Instant> behindSince,
            int deadItems,
            int items) {
    }

    private void fault(Instant at) {
        if (lastFaultAt == null || at.isAfter(lastFaultAt)) {
            lastFaultAt = at;
        }
    }

    /**
     * The value as text the way an operator writes it in configuration: a whole float or decimal
     * without its ".0", so a role node of type Double holding 1.0 matches "1".
     */
    static String text(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isFinite(d)) {
                return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
            }
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.stripTrailingZeros().toPlainString();
        }
        return value.toString().trim();
    }
}
