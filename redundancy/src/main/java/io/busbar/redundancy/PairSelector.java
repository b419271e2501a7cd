package io.busbar.redundancy;

import io.busbar.mappings.ServerRole;
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
 * <h2>Use</h2>
 *
 * <ol>
 *   <li>Create one per source pair.
 *   <li>The OPC UA source feeds each server's {@link #observations(ServerRole)} from its threads:
 *       connection changes, ServiceLevel, and every sample (the
 *       {@link HealthCriteria#criterionNodeIds() criterion nodes} must be monitored on both servers).
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
    private final Instant createdAt;
    private final HealthJudge judge;
    private final Map<ServerRole, ServerObservations> observations = new EnumMap<>(ServerRole.class);

    private volatile Optional<ServerRole> active = Optional.empty();

    // guarded by this
    private Force forced = Force.AUTO;
    private Instant lastSwitchAt;
    private long switchovers;
    private Switchover lastSwitchover;
    /** Since when each server has been healthy without a break, as far as evaluations saw. */
    private final Map<ServerRole, Instant> healthySince = new EnumMap<>(ServerRole.class);

    /**
     * @param pair         the source pair's name, for logs and the state
     * @param hasSecondary false for a pair with a primary only: the secondary is then never used
     * @param clock        the time source for every judgement; a fake one in tests
     */
    public PairSelector(String pair, RedundancyPolicy policy, boolean hasSecondary, Clock clock) {
        this.pair = HealthCriteria.requireNonBlank(pair, "pair");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.hasSecondary = hasSecondary;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.createdAt = clock.instant();
        this.judge = new HealthJudge(policy.criteria());
        for (ServerRole role : ServerRole.values()) {
            observations.put(role, new ServerObservations(policy.criteria()));
        }
    }

    public String pair() {
        return pair;
    }

    public RedundancyPolicy policy() {
        return policy;
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
    public ServerHealth health(ServerRole role) {
        return health(role, clock.instant());
    }

    /**
     * Applies the rules now.
     *
     * @return the switchover it made; empty when the active server stays
     */
    public synchronized Optional<Switchover> evaluate() {
        Instant now = clock.instant();
        Map<ServerRole, ServerHealth> health = new EnumMap<>(ServerRole.class);
        for (ServerRole role : ServerRole.values()) {
            health.put(role, health(role, now));
            trackHealthySince(health.get(role), now);
        }
        Decision decision = decide(health, now);
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
        Instant now = clock.instant();
        ServerHealth primary = health(ServerRole.PRIMARY, now);
        ServerHealth secondary = health(ServerRole.SECONDARY, now);
        Optional<ServerRole> current = active;
        return new PairState(pair, policy.mode(), current, forced, primary, secondary, switchovers,
                Optional.ofNullable(lastSwitchover), status(current, primary, secondary));
    }

    private PairStatus status(Optional<ServerRole> current, ServerHealth primary, ServerHealth secondary) {
        if (current.isEmpty()) {
            return PairStatus.DOWN;
        }
        ServerHealth activeHealth = current.get() == ServerRole.PRIMARY ? primary : secondary;
        ServerHealth standby = current.get() == ServerRole.PRIMARY ? secondary : primary;
        // a cold standby is connected only at a switchover: its absence is the plan, not a degradation
        boolean standbyReady = !standby.configured() || standby.connected() || policy.mode() == RedundancyMode.COLD;
        return activeHealth.healthy() && standbyReady ? PairStatus.UP : PairStatus.DEGRADED;
    }

    private ServerHealth health(ServerRole role, Instant now) {
        if (role == ServerRole.SECONDARY && !hasSecondary) {
            return judge.unconfigured(role);
        }
        return judge.judge(role, observations.get(role).snapshot(), now);
    }

    /** @return the server to make active and why; null to keep the current one */
    private Decision decide(Map<ServerRole, ServerHealth> health, Instant now) {
        Optional<ServerRole> forcedRole = forced.role();
        if (forcedRole.isPresent() && health.get(forcedRole.get()).connected()) {
            return new Decision(forcedRole, "forced by operator");
        }
        if (active.isEmpty()) {
            if (waitingForPreferredPrimary(health.get(ServerRole.PRIMARY), now)) {
                return null;
            }
            return choose(health.get(ServerRole.PRIMARY), health.get(ServerRole.SECONDARY));
        }
        ServerHealth current = health.get(active.get());
        ServerHealth other = health.get(active.get().partner());
        if (current.healthy()) {
            return failback(current, other, now);
        }
        if (other.healthy()) {
            if (!HealthJudge.usable(current) || dwellPassed(now)) {
                return new Decision(Optional.of(other.role()), describe(current));
            }
            return null; // within the minimum dwell: stay degraded a little longer rather than flap
        }
        if (HealthJudge.usable(current)) {
            return null;
        }
        if (HealthJudge.usable(other)) {
            return new Decision(Optional.of(other.role()),
                    describe(current) + "; degraded service from " + describe(other));
        }
        return new Decision(Optional.empty(), "no usable server: " + describe(current) + "; " + describe(other));
    }

    private boolean waitingForPreferredPrimary(ServerHealth primary, Instant now) {
        return switchovers == 0 && hasSecondary && policy.preferred() == Preferred.PRIMARY
                && !primary.connected() && now.isBefore(createdAt.plus(STARTUP_GRACE));
    }

    /** Rule 4 and the last part of rule 5: nothing is active, so nothing is lost by choosing at once. */
    private Decision choose(ServerHealth primary, ServerHealth secondary) {
        if (primary.healthy() && secondary.healthy()) {
            if (policy.preferred() == Preferred.PRIMARY) {
                return new Decision(Optional.of(ServerRole.PRIMARY), "both healthy, primary preferred");
            }
            ServerHealth higher = higherServiceLevel(primary, secondary);
            return new Decision(Optional.of(higher.role()), "both healthy, " + higher.role().wireName()
                    + (rank(primary) == rank(secondary) ? " on a tie" : " has the higher service level"));
        }
        if (primary.healthy() || secondary.healthy()) {
            ServerHealth healthy = primary.healthy() ? primary : secondary;
            ServerHealth unhealthy = primary.healthy() ? secondary : primary;
            return new Decision(Optional.of(healthy.role()),
                    healthy.role().wireName() + " healthy; " + describe(unhealthy));
        }
        boolean primaryUsable = HealthJudge.usable(primary);
        boolean secondaryUsable = HealthJudge.usable(secondary);
        if (primaryUsable || secondaryUsable) {
            ServerHealth best = primaryUsable && secondaryUsable ? higherServiceLevel(primary, secondary)
                    : primaryUsable ? primary : secondary;
            return new Decision(Optional.of(best.role()), "degraded service from " + describe(best));
        }
        return new Decision(Optional.empty(), "no usable server: " + describe(primary) + "; " + describe(secondary));
    }

    /** Rule 2: a healthy active stays, unless the policy asks to return to a primary that proved itself. */
    private Decision failback(ServerHealth current, ServerHealth other, Instant now) {
        if (current.role() == ServerRole.SECONDARY && other.healthy() && policy.preferred() == Preferred.PRIMARY
                && policy.failback() instanceof Failback.After after && dwellPassed(now)) {
            Instant since = healthySince.get(ServerRole.PRIMARY);
            Duration healthyFor = since == null ? Duration.ZERO : Duration.between(since, now);
            if (healthyFor.compareTo(after.healthyFor()) >= 0) {
                return new Decision(Optional.of(ServerRole.PRIMARY),
                        "failback: primary healthy for " + HealthJudge.format(healthyFor));
            }
        }
        return null;
    }

    /**
     * Keeps the start of each server's healthy run. A fault observed since then (a dip between two
     * evaluations) restarts the run, so failback never trusts a server that flickered unseen.
     */
    private void trackHealthySince(ServerHealth health, Instant now) {
        if (!health.healthy()) {
            healthySince.remove(health.role());
            return;
        }
        Instant since = healthySince.getOrDefault(health.role(), now);
        Optional<Instant> fault = observations.get(health.role()).lastFaultAt();
        if (fault.isPresent() && fault.get().isAfter(since)) {
            since = fault.get().isAfter(now) ? now : fault.get();
        }
        healthySince.put(health.role(), since);
    }

    private boolean dwellPassed(Instant now) {
        return lastSwitchAt == null || Duration.between(lastSwitchAt, now).compareTo(policy.minDwell()) >= 0;
    }

    private static ServerHealth higherServiceLevel(ServerHealth primary, ServerHealth secondary) {
        return rank(secondary) > rank(primary) ? secondary : primary;
    }

    /** Unknown ranks below every known level: a server that reported a level has shown more. */
    private static int rank(ServerHealth health) {
        return health.serviceLevel().orElse(-1);
    }

    private static String describe(ServerHealth health) {
        return health.configured() ? health.role().wireName() + ": " + health.reason() : health.reason();
    }

    private static String name(Optional<ServerRole> role) {
        return role.map(ServerRole::wireName).orElse("none");
    }

    private record Decision(Optional<ServerRole> to, String reason) {
    }
}
