package io.busbar.redundancy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a connected server must show to count as healthy. A server that is not connected is never
 * healthy; beyond that every criterion that is configured must hold. Part 4 servers are judged by
 * ServiceLevel alone; the other criteria are for SCADA pairs whose ServiceLevel says little.
 *
 * <p>ServiceLevel 0 (maintenance) and 1 (no data) make a server unusable whatever these criteria
 * say, whenever the level is known.
 *
 * <p>Two criteria need no configuration: a server most of whose monitored items are dead is not
 * healthy, and, in hot mode, neither is a <em>stale</em> one, whose newest source time has not
 * advanced for {@code staleAfter} while the partner's kept advancing (the partner delivers what this
 * one does not: its values froze with the session up). Configuring {@code staleAfter} also makes a
 * server stale, in any mode, when its newest source time has not advanced for that long whatever
 * the partner does (a pair whose servers both freeze).
 *
 * @param serviceLevel          judge the server's ServiceLevel (ns=0;i=2267) against the threshold
 * @param serviceLevelThreshold the lowest healthy ServiceLevel, 0..255; Part 4 §6.6.2.4.2 puts the
 *                              healthy band at 200–255 (Cognite's extractor uses 200 too)
 * @param heartbeat             a node whose value must keep changing, if any
 * @param role                  a node in which the server says it is the active one, if any
 * @param watchNodes            nodes whose latest StatusCode must be Good (severity bits 31–30 = 00);
 *                              a node not read yet counts as Good
 * @param staleAfter            how long a server's newest source time may stand still while the
 *                              partner's advances (hot mode); also the grace after a (re)connection.
 *                              Positive.
 * @param staleWhenSilent       also stale, in any mode, when the newest source time has stood still
 *                              for {@code staleAfter} whatever the partner does; set by configuring
 *                              {@code health.stale-after}. In warm and cold mode only the active
 *                              server is judged so: the standby does not sample.
 */
public record HealthCriteria(
        boolean serviceLevel,
        int serviceLevelThreshold,
        Optional<HeartbeatCriterion> heartbeat,
        Optional<RoleCriterion> role,
        List<String> watchNodes,
        Duration staleAfter,
        boolean staleWhenSilent) {

    /** The low edge of Part 4's healthy ServiceLevel band. */
    public static final int DEFAULT_SERVICE_LEVEL_THRESHOLD = 200;

    /**
     * The default {@code staleAfter} is this many sampling (or publishing, if longer) intervals: a
     * live server misses at most one report while its partner sends two, so three intervals of
     * silence is a fault, not a phase difference between the two servers' polls.
     */
    public static final int STALE_AFTER_INTERVALS = 3;

    /**
     * The least default {@code staleAfter}, and the default for the usual one-second interval. Five
     * seconds, like the minimum dwell: short next to the 15 s of forwarding nothing that a frozen
     * server cost before this criterion existed, long enough that a loaded machine's late callbacks
     * or a SCADA server's slower poll cycle are no freeze.
     */
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofSeconds(5);

    public HealthCriteria {
        if (serviceLevelThreshold < 0 || serviceLevelThreshold > 255) {
            throw new IllegalArgumentException(
                    "serviceLevelThreshold must be 0..255 (ServiceLevel is a byte), was " + serviceLevelThreshold);
        }
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(watchNodes, "watchNodes");
        watchNodes.forEach(nodeId -> requireNonBlank(nodeId, "watch node"));
        watchNodes = List.copyOf(watchNodes);
        Objects.requireNonNull(staleAfter, "staleAfter");
        if (staleAfter.isNegative() || staleAfter.isZero()) {
            throw new IllegalArgumentException("staleAfter must be positive, was " + staleAfter);
        }
    }

    /** With the default {@link #DEFAULT_STALE_AFTER} compared with the partner only. */
    public HealthCriteria(boolean serviceLevel, int serviceLevelThreshold, Optional<HeartbeatCriterion> heartbeat,
                          Optional<RoleCriterion> role, List<String> watchNodes) {
        this(serviceLevel, serviceLevelThreshold, heartbeat, role, watchNodes, DEFAULT_STALE_AFTER, false);
    }

    /**
     * The Part 4 way: ServiceLevel at least {@value #DEFAULT_SERVICE_LEVEL_THRESHOLD}; besides, not
     * stale next to the partner after {@link #DEFAULT_STALE_AFTER} and not mostly dead items.
     */
    public static HealthCriteria defaults() {
        return new HealthCriteria(true, DEFAULT_SERVICE_LEVEL_THRESHOLD, Optional.empty(), Optional.empty(), List.of());
    }

    /**
     * The {@code staleAfter} for servers that report at most every {@code interval} (the longer of
     * the sampling and publishing intervals): {@value #STALE_AFTER_INTERVALS} intervals, at least
     * {@link #DEFAULT_STALE_AFTER}.
     */
    public static Duration defaultStaleAfter(Duration interval) {
        Duration intervals = interval.multipliedBy(STALE_AFTER_INTERVALS);
        return intervals.compareTo(DEFAULT_STALE_AFTER) > 0 ? intervals : DEFAULT_STALE_AFTER;
    }

    public HealthCriteria withServiceLevel(boolean on) {
        return new HealthCriteria(on, serviceLevelThreshold, heartbeat, role, watchNodes, staleAfter, staleWhenSilent);
    }

    public HealthCriteria withServiceLevelThreshold(int threshold) {
        return new HealthCriteria(serviceLevel, threshold, heartbeat, role, watchNodes, staleAfter, staleWhenSilent);
    }

    public HealthCriteria withHeartbeat(HeartbeatCriterion criterion) {
        return new HealthCriteria(serviceLevel, serviceLevelThreshold, Optional.of(criterion), role, watchNodes,
                staleAfter, staleWhenSilent);
    }

    public HealthCriteria withRole(RoleCriterion criterion) {
        return new HealthCriteria(serviceLevel, serviceLevelThreshold, heartbeat, Optional.of(criterion), watchNodes,
                staleAfter, staleWhenSilent);
    }

    public HealthCriteria withWatchNodes(List<String> nodeIds) {
        return new HealthCriteria(serviceLevel, serviceLevelThreshold, heartbeat, role, nodeIds, staleAfter,
                staleWhenSilent);
    }

    /**
     * The operator's {@code health.stale-after}: compared with the partner in hot mode, and a server
     * silent that long is stale in any mode.
     */
    public HealthCriteria withStaleAfter(Duration after) {
        return new HealthCriteria(serviceLevel, serviceLevelThreshold, heartbeat, role, watchNodes, after, true);
    }

    /**
     * No {@code health.stale-after} configured: {@link #defaultStaleAfter} for this interval, compared
     * with the partner only (hot mode).
     */
    public HealthCriteria withDefaultStaleAfter(Duration interval) {
        return new HealthCriteria(serviceLevel, serviceLevelThreshold, heartbeat, role, watchNodes,
                defaultStaleAfter(interval), false);
    }

    /**
     * The nodes the OPC UA source must monitor on both servers, on top of the mapped ones, and feed
     * to {@link ServerObservations#value}: heartbeat, role and watch nodes, each once. ServiceLevel
     * is not among them; the source reads it anyway and reports it through
     * {@link ServerObservations#serviceLevel}.
     */
    public List<String> criterionNodeIds() {
        List<String> ids = new ArrayList<>();
        heartbeat.ifPresent(criterion -> ids.add(criterion.nodeId()));
        role.ifPresent(criterion -> ids.add(criterion.nodeId()));
        ids.addAll(watchNodes);
        return ids.stream().distinct().toList();
    }

    static String requireNonBlank(String text, String what) {
        Objects.requireNonNull(text, what);
        if (text.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return text;
    }
}
