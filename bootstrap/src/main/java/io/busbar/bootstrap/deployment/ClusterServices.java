package io.busbar.bootstrap.deployment;

import io.busbar.bootstrap.config.DeploymentPlan;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;

/** Builds the Camel cluster service that elects each pair's leader in distributed mode. */
final class ClusterServices {

    /**
     * A follower takes a lock over once the leader's heartbeat has not moved for this many lock
     * intervals; Camel checks once per interval, so replacing a lost leader takes about
     * (multiplier + 1) intervals.
     */
    static final int HEARTBEAT_TIMEOUT_MULTIPLIER = 3;
    /**
     * Time kept back from takeover-within for a busy machine's late lock checks and for starting the
     * pair on the new leader (connect, select); measured under load: 12 s to a new leader with 3 s.
     */
    static final Duration START_MARGIN = Duration.ofSeconds(5);

    private ClusterServices() {
    }

    static CamelClusterService create(DeploymentPlan plan) {
        if (plan.lock() == DeploymentPlan.Lock.KUBERNETES) {
            return KubernetesLeases.create(plan);
        }
        FileLockClusterService service = new FileLockClusterService();
        service.setId(plan.instanceId());
        service.setRoot(plan.sharedDir().orElseThrow().resolve("locks").toString());
        long interval = lockInterval(plan.takeoverWithin()).toMillis();
        service.setAcquireLockInterval(interval, TimeUnit.MILLISECONDS);
        service.setAcquireLockDelay(Math.min(interval, 1000), TimeUnit.MILLISECONDS);
        service.setHeartbeatTimeoutMultiplier(HEARTBEAT_TIMEOUT_MULTIPLIER);
        return service;
    }

    /** The lock interval that replaces a lost leader within {@code takeoverWithin}; at least 1 s. */
    static Duration lockInterval(Duration takeoverWithin) {
        Duration interval = takeoverWithin.minus(START_MARGIN).dividedBy(HEARTBEAT_TIMEOUT_MULTIPLIER + 1);
        return interval.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : interval;
    }
}
