package io.busbar.redundancy;

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
 * @param serviceLevel          judge the server's ServiceLevel (ns=0;i=2267) against the threshold
 * @param serviceLevelThreshold the lowest healthy ServiceLevel, 0..255; Part 4 §6.6.2.4.2 puts the
 *                              healthy band at 200–255 (Cognite's extractor uses 200 too)
 * @param heartbeat             a node whose value must keep changing, if any
 * @param role                  a node in which the server says it is the active one, if any
 * @param watchNodes            nodes whose latest StatusCode must be Good (severity bits 31–30 = 00);
 *                              a node not read yet counts as Good
 */
public record HealthCriteria(
        boolean serviceLevel,
        int serviceLevelThreshold,
        Optional<HeartbeatCriterion> heartbeat,
        Optional<RoleCriterion> role,
        List<String> watchNodes) {

    /** The low edge of Part 4's healthy ServiceLevel band. */
    public static final int DEFAULT_SERVICE_LEVEL_THRESHOLD = 200;

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
    }

    /** The Part 4 way: ServiceLevel at least {@value #DEFAULT_SERVICE_LEVEL_THRESHOLD}, nothing else. */
    public static HealthCriteria defaults() {
        return new HealthCriteria(true, DEFAULT_SERVICE_LEVEL_THRESHOLD, Optional.empty(), Optional.empty(), List.of());
    }

    public HealthCriteria withServiceLevel(boolean on) {
        return new HealthCriteria(on, serviceLevelThreshold, heartbeat, role, watchNodes);
    }

    public HealthCriteria withServiceLevelThreshold(int threshold) {
        return new HealthCriteria(serviceLevel, threshold, heartbeat, role, watchNodes);
    }

    public HealthCriteria withHeartbeat(HeartbeatCriterion criterion) {
        return new HealthCriteria(serviceLevel, serviceLevelThreshold, Optional.of(criterion), role, watchNodes);
    }

    public HealthCriteria withRole(RoleCriterion criterion) {
        return new HealthCriteria(serviceLevel, serviceLevelThreshold, heartbeat, Optional.of(criterion), watchNodes);
    }

    public HealthCriteria withWatchNodes(List<String> nodeIds) {
        return new HealthCriteria(serviceLevel, serviceLevelThreshold, heartbeat, role, nodeIds);
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
