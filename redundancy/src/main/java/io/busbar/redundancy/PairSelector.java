package io.busbar.redundancy;

import io.busbar.mappings.model.ServerRole;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which server of a source pair is active, i.e. whose readings are forwarded. The standby's
 * readings are dropped (hot mode) and the {@link ForwardGate} keeps a switchover duplicate-free.
 *
 * <h2>Rules</h2>
 *
 * A server is <em>healthy</em> when it meets every {@link HealthCriteria criterion}; it is
 * <em>usable</em> when it is connected and its ServiceLevel, if known, is not 0 (maintenance) or 1
 * (no data). Each {@link #evaluate()} applies, in this order:
 *
 * <ol>
 *   <li><b>Forced.</b> A server the operator {@link #force forced} is active whenever it is
 *       connected, whatever its health, at once. While it is not connected the rules below apply.
 *   <li><b>Keep a healthy active.</b> Two healthy servers never trade places because one reports a
 *       higher ServiceLevel: that would flap. The one exception is failback: with {@link
 *       Preferred#PRIMARY} and {@link Failback.After After(d)} the pair returns to the primary once
 *       it has been healthy without a break for {@code d} and the minimum dwell has passed. With
 *       {@link Failback.Sticky} or {@link Preferred#NONE} it never switches back on its own.
 *   <li><b>Leave an unhealthy active</b> for a healthy partner, once the minimum dwell since the
 *       last switchover has passed, so a server wobbling around a threshold costs one switch per
 *       dwell at most. An active that is not even usable (disconnected, ServiceLevel 0 or 1) is left
 *       at once: a gap is worse than a flap, and history backfill closes the gap anyway.
 *   <li><b>Choose when nothing is active</b> (at start, or after both were lost), at once: the
 *       healthy server; when both are, the primary if preferred, else the higher ServiceLevel
 *       (unknown ranks lowest, ties go to the primary). Only at start, with the primary preferred,
 *       the secondary is not taken merely because it answered first: the primary gets
 *       {@link #STARTUP_GRACE} to connect.
 *   <li><b>Neither healthy:</b> keep the active while it is usable; else take the usable partner, the
 *       higher ServiceLevel first if nothing is active: degraded service beats none. With no usable
 *       server the pair has no active one, recorded as a switchover to empty.
 * </ol>
 *
 * <p>Every change of the active server is a {@link Switchover}, the first selection included; the
 * minimum dwell counts from the latest one.
 *
 * <p>A stale server (its source times stand still, see {@link HealthCriteria}) or one with mostly
 * dead items is unhealthy but usable: it delivers some of what its partner does, and a stale verdict
 * takes {@code staleAfter} to form. So an active server that freezes is left by rule 3 for a healthy
 * partner after {@code staleAfter}, or at the end of the minimum dwell if that is later; with the
 * defaults (5 s each) the dwell is over before the verdict unless the freeze begins right after a
 * switchover.
 *
 * <h2>Co-located</h2>
 *
 * With a Busbar instance beside each server ({@code beside} given), each forwards only while its own
 * server is active, and the two share no state. Rules 2 to 5 depend on each instance's history (who
 * is active, since when a server has been healthy), so after a restart two instances could choose
 * differently and wait for each other for good. In co-located mode the choice is therefore made
 * afresh at every evaluation from what both instances see, with rule 4's choice (healthy first;
 * among two healthy servers the primary if preferred, else the higher ServiceLevel, a tie going to
 * the primary; with neither healthy the usable one with the higher ServiceLevel). The configured
 * {@link Failback} is not used: a sticky choice cannot be shared, so the pair returns to the
 * preferred primary as soon as it is healthy again (after the minimum dwell); configuration rejects
 * an explicit {@code failback} in co-located mode. On top:
 *
 * <ul>
 *   <li><b>Start-up grace.</b> The first selection waits until each server was tried (it connected
 *       or an attempt {@link ServerObservations#connectFailed failed}; in cold mode the standby is
 *       not waited for) and, if connected, is
 *       <em>settled</em>: its ServiceLevel (and role node, if any) read and, in hot mode, its
 *       liveness known (source times advancing past the initial values, a stale verdict, or twice
 *       {@code staleAfter} connected). A server that (re)connects later counts as unhealthy
 *       ("settling") until it is settled; once settled, a session stays so. A server is settled at
 *       the latest {@link #CO_LOCATED_STARTUP_GRACE} (or twice {@code staleAfter}, if longer) after
 *       connecting; the first selection waits at most that plus {@link #CO_LOCATED_STARTUP_GRACE}
 *       (20 s by default) for the connection attempts. So an instance that has just restarted
 *       reaches the answer of one that has run for hours, instead of choosing by what answered
 *       first.
 *   <li><b>Start early, stop late.</b> A switch to the server this instance runs beside is made at
 *       once; a switch away from it waits for the minimum dwell (unless it is unusable). Two
 *       instances that see the same may still disagree while their dwells differ, but only so that
 *       both forward (duplicates carry the same key), never so that both stand by.
 * </ul>
 *
 * <p>What the instances cannot agree on is what they see differently: a server that one instance
 * reaches and the other does not (a network partition) can leave both standing by; the takeover
 * backfill of whichever forwards next closes that gap from history.
 *
 * <h2>Use</h2>
 *
 * <ol>
 *   <li>Create one per source pair.
 *   <li>The OPC UA source feeds each server's {@link #observations(ServerRole)} from its threads:
 *       connection changes and failed attempts, ServiceLevel, every sample (the
 *       {@link HealthCriteria#criterionNodeIds() criterion nodes} must be monitored on both servers),
 *       the newest source time of every batch of meter-node samples, and the count of dead items.
 *   <li>Call {@link #evaluate()} every 100–200 ms (heartbeats go stale with time, not with events)
 *       and after an event that may change a server's health; act on the switchover it returns
 *       (backfill, ConditionRefresh).
 *   <li>Read {@link #active()} for every batch of samples; {@link #state()} for the health endpoint.
 * </ol>
 *
 * <p>Thread-safe: {@link #active()} is a volatile read for the sample path; evaluations and forcing
 * are serialised.
 */
public final class PairSelector {

    private static final Logger LOG = LoggerFactory.getLogger(PairSelector.class);

    private final String pair;
    private final RedundancyPolicy policy;
    private final boolean hasSecondary;
    private final Clock clock;
    /** At start the preferred primary gets this long to connect before a secondary that came up first is chosen. */
    public static final Duration STARTUP_GRACE = Duration.ofSeconds(3);
    /**
     * Co-located: the longest a connected server counts as settling (or twice {@code staleAfter}, if
     * longer), and the time the first selection allows on top for the connection attempts. Ten
     * seconds: a connection attempt to a host that does not answer takes about the request timeout
     * (5 s by default) to fail.
     */
    public static final Duration CO_LOCATED_STARTUP_GRACE = Duration.ofSeconds(10);
    private final Optional<ServerRole> beside;
    private final SettleWatch settleWatch;
    private final Instant createdAt;
    private final HealthJudge judge;
    private final Map<ServerRole, ServerObservations> observations = new EnumMap<>(ServerRole.class);

    private volatile Optional<ServerRole> active = Optional.empty();

    // guarded by this
    private Force forced = Force.AUTO;
    private Instant lastSwitchAt;
    private long switchovers;
    private Switchover lastSwitchover;
    private final HealthyRuns healthyRuns = new HealthyRuns();

    /**
     * A selector for a standalone or distributed instance: rules 1 to 5 with their history.
     *
     * @param pair         the source pair's name, for logs and the state
     * @param hasSecondary false for a pair with a primary only: the secondary is then never used
     * @param clock        the time source for every judgement; a fake one in tests
     */
    public PairSelector(String pair, RedundancyPolicy policy, boolean hasSecondary, Clock clock) {
        this(pair, policy, hasSecondary, Optional.empty(), clock);
    }

    /**
     * @param beside the server this instance runs beside in a co-located deployment (see the class
     *               comment); empty otherwise
     */
    public PairSelector(String pair, RedundancyPolicy policy, boolean hasSecondary, Optional<ServerRole> beside,
                        Clock clock) {
        this.pair = HealthCriteria.requireNonBlank(pair, "pair");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.hasSecondary = hasSecondary;
        this.beside = Objects.requireNonNull(beside, "beside");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.createdAt = clock.instant();
        this.judge = new HealthJudge(policy.criteria(), policy.mode());
        this.settleWatch = new SettleWatch(policy);
        PartnerLag partnerLag = new PartnerLag(policy.criteria().staleAfter());
        for (ServerRole role : ServerRole.values()) {
            observations.put(role, new ServerObservations(policy.criteria(), role, partnerLag));
        }
    }

    public String pair() {
        return pair;
    }

    public RedundancyPolicy policy() {
        return policy;
    }

    /** Co-located: the server this instance runs beside; empty in other deployments. */
    public Optional<ServerRole> beside() {
        return beside;
    }

    /** Where the OPC UA source reports what it sees of one server. Those of a missing secondary are ignored. */
    public ServerObservations observations(ServerRole role) {
        return observations.get(Objects.requireNonNull(role, "role"));
    }

    /** The server to forward from; empty when none is usable. Cheap: read it per batch. */
    public Optional<ServerRole> active() {
        return active;
    }

    /** The server judged now against the criteria. */
    public synchronized ServerHealth health(ServerRole role) {
        return judgeAll(clock.instant()).health().get(Objects.requireNonNull(role, "role"));
    }

    /**
     * Applies the rules now.
     *
     * @return the switchover it made; empty when the active server stays
     */
    public synchronized Optional<Switchover> evaluate() {
        Instant now = clock.instant();
        View view = judgeAll(now);
        Map<ServerRole, ServerHealth> health = view.health();
        for (ServerRole role : ServerRole.values()) {
            healthyRuns.track(health.get(role), observations.get(role).lastFaultAt(), now);
        }
        Decision decision = decide(health, view.settling(), now);
        if (decision == null || decision.to().equals(active)) {
            return Optional.empty();
        }
        Switchover switchover = new Switchover(now, active, decision.to(), decision.reason());
        active = decision.to();
        lastSwitchAt = now;
        switchovers++;
        lastSwitchover = switchover;
        if (switchover.to().isPresent()) {
            LOG.info("Source pair {}: active server {} -> {}: {}", pair, name(switchover.from()), name(switchover.to()),
                    switchover.reason());
        } else {
            LOG.warn("Source pair {}: active server {} -> none, nothing is forwarded: {}", pair,
                    name(switchover.from()), switchover.reason());
        }
        return Optional.of(switchover);
    }

    /**
     * Sets or clears the operator's override and evaluates at once; a change of the active server it
     * causes is recorded with the reason "forced by operator".
     *
     * @throws IllegalArgumentException when forcing the secondary of a pair that has none
     */
    public synchronized void force(Force force) {
        Objects.requireNonNull(force, "force");
        if (force == Force.SECONDARY && !hasSecondary) {
            throw new IllegalArgumentException("source pair " + pair + " has no secondary to force");
        }
        if (force != forced) {
            LOG.info("Source pair {}: operator override {} -> {}", pair, forced, force);
            forced = force;
        }
        evaluate();
    }

    /** A consistent snapshot for the health endpoint. */
    public synchronized PairState state() {
        Map<ServerRole, ServerHealth> health = judgeAll(clock.instant()).health();
        ServerHealth primary = health.get(ServerRole.PRIMARY);
        ServerHealth secondary = health.get(ServerRole.SECONDARY);
        Optional<ServerRole> current = active;
        return new PairState(pair, policy.mode(), current, forced, primary, secondary, switchovers,
                Optional.ofNullable(lastSwitchover), PairStatus.of(current, primary, secondary, policy.mode()));
    }

    /**
     * Both servers judged from one snapshot each, so each is compared with the same view of its
     * partner. Co-located, a healthy server that is not settled yet counts as unhealthy.
     */
    private View judgeAll(Instant now) {
        Map<ServerRole, ServerObservations.Snapshot> seen = snapshots();
        Map<ServerRole, ServerHealth> health = new EnumMap<>(ServerRole.class);
        boolean settling = false;
        for (ServerRole role : ServerRole.values()) {
            if (!seen.containsKey(role)) {
                health.put(role, judge.unconfigured(role));
                continue;
            }
            ServerHealth judged = judge.judge(role, seen.get(role), Optional.ofNullable(seen.get(role.partner())), now,
                    samplingSince(role));
            if (beside.isPresent() && !settleWatch.settled(role, seen.get(role), judged, now)) {
                settling = true;
                if (judged.healthy()) {
                    judged = SettleWatch.settling(judged, seen.get(role), now);
                }
            }
            health.put(role, judged);
        }
        return new View(health, settling);
    }

    /**
     * @param health   each server's health
     * @param settling co-located: some configured server is not tried or not settled yet
     */
    private record View(Map<ServerRole, ServerHealth> health, boolean settling) {
    }

    /** The configured servers' observations; a missing secondary has none. */
    private Map<ServerRole, ServerObservations.Snapshot> snapshots() {
        Map<ServerRole, ServerObservations.Snapshot> seen = new EnumMap<>(ServerRole.class);
        seen.put(ServerRole.PRIMARY, observations.get(ServerRole.PRIMARY).snapshot());
        if (hasSecondary) {
            seen.put(ServerRole.SECONDARY, observations.get(ServerRole.SECONDARY).snapshot());
        }
        return seen;
    }

    /**
     * Since when a server is expected to deliver source times: in hot mode always (its connection
     * gives the grace); in warm and cold mode the standby does not sample, so only the active one is
     * judged, from its switchover on.
     */
    private Optional<Instant> samplingSince(ServerRole role) {
        if (policy.mode() == RedundancyMode.HOT) {
            return Optional.of(Instant.MIN);
        }
        return active.equals(Optional.of(role)) ? Optional.ofNullable(lastSwitchAt) : Optional.empty();
    }

    /** @return the server to make active and why; null to keep the current one */
    private Decision decide(Map<ServerRole, ServerHealth> health, boolean settling, Instant now) {
        Optional<ServerRole> forcedRole = forced.role();
        if (forcedRole.isPresent() && health.get(forcedRole.get()).connected()) {
            return new Decision(forcedRole, "forced by operator");
        }
        if (beside.isPresent()) {
            return decideCoLocated(health, settling, now);
        }
        if (active.isEmpty()) {
            if (waitingForPreferredPrimary(health.get(ServerRole.PRIMARY), now)) {
                return null;
            }
            return Decision.choose(health.get(ServerRole.PRIMARY), health.get(ServerRole.SECONDARY), policy.preferred());
        }
        ServerHealth current = health.get(active.get());
        ServerHealth other = health.get(active.get().partner());
        if (current.healthy()) {
            return failback(current, other, now);
        }
        if (other.healthy()) {
            if (!HealthJudge.usable(current) || dwellPassed(now)) {
                return new Decision(Optional.of(other.role()), Decision.describe(current));
            }
            return null; // within the minimum dwell: stay degraded a little longer rather than flap
        }
        if (HealthJudge.usable(current)) {
            return null;
        }
        if (HealthJudge.usable(other)) {
            return new Decision(Optional.of(other.role()),
                    Decision.describe(current) + "; degraded service from " + Decision.describe(other));
        }
        return new Decision(Optional.empty(), "no usable server: " + Decision.describe(current) + "; " + Decision.describe(other));
    }

    /**
     * Co-located: rule 4's choice at every evaluation, so the answer depends on what is seen, not on
     * this instance's history. The dwell is kept for switches away from the server beside this
     * instance only (stop late), so two instances disagree, if at all, by both forwarding.
     */
    private Decision decideCoLocated(Map<ServerRole, ServerHealth> health, boolean settling, Instant now) {
        if (switchovers == 0 && settling && now.isBefore(createdAt.plus(settleWatch.limit()).plus(CO_LOCATED_STARTUP_GRACE))) {
            return null; // start-up grace
        }
        Decision target = Decision.choose(health.get(ServerRole.PRIMARY), health.get(ServerRole.SECONDARY), policy.preferred());
        if (target.to().equals(active)) {
            return null;
        }
        if (active.isEmpty() || !HealthJudge.usable(health.get(active.get())) || target.to().equals(beside)
                || dwellPassed(now)) {
            return target;
        }
        return null; // within the minimum dwell: this instance keeps forwarding a little longer
    }

    private boolean waitingForPreferredPrimary(ServerHealth primary, Instant now) {
        return switchovers == 0 && hasSecondary && policy.preferred() == Preferred.PRIMARY
                && !primary.connected() && now.isBefore(createdAt.plus(STARTUP_GRACE));
    }

    /** Rule 2: a healthy active stays, unless the policy asks to return to a primary that proved itself. */
    private Decision failback(ServerHealth current, ServerHealth other, Instant now) {
        if (current.role() == ServerRole.SECONDARY && other.healthy() && policy.preferred() == Preferred.PRIMARY
                && policy.failback() instanceof Failback.After after && dwellPassed(now)) {
            Duration healthyFor = healthyRuns.healthyFor(ServerRole.PRIMARY, now);
            if (healthyFor.compareTo(after.healthyFor()) >= 0) {
                return new Decision(Optional.of(ServerRole.PRIMARY),
                        "failback: primary healthy for " + HealthJudge.format(healthyFor));
            }
        }
        return null;
    }

    private boolean dwellPassed(Instant now) {
        return lastSwitchAt == null || Duration.between(lastSwitchAt, now).compareTo(policy.minDwell()) >= 0;
    }

    private static String name(Optional<ServerRole> role) {
        return role.map(ServerRole::wireName).orElse("none");
    }
}
