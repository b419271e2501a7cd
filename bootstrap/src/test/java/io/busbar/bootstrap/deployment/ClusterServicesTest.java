package io.busbar.bootstrap.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.bootstrap.config.DeploymentPlan;
import io.busbar.bootstrap.config.DeploymentPlan.KubernetesLeases;
import io.busbar.routes.plan.ForwardingScope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.junit.jupiter.api.Test;

class ClusterServicesTest {

    @Test
    void fileLock_replacesALostLeaderWithinTakeoverWithin() {
        FileLockClusterService service = (FileLockClusterService) ClusterServices.create(plan(DeploymentPlan.Lock.FILE,
                Duration.ofSeconds(15)));

        assertThat(service.getId()).isEqualTo("busbar-1");
        assertThat(service.getRoot()).isEqualTo(Path.of("/shared/locks").toString());
        long interval = service.getAcquireLockIntervalUnit().toMillis(service.getAcquireLockInterval());
        assertThat(interval).isEqualTo(2_500);
        // stale after multiplier intervals, noticed at the next check, then the pair starts
        Duration worstCase = Duration.ofMillis(interval * (service.getHeartbeatTimeoutMultiplier() + 1))
                .plus(ClusterServices.START_MARGIN);
        assertThat(worstCase).isLessThanOrEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void lockInterval_neverBelowOneSecond() {
        assertThat(ClusterServices.lockInterval(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(1));
        assertThat(ClusterServices.lockInterval(Duration.ofSeconds(45))).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void kubernetesLease_expiresAndIsRetriedWithinTakeoverWithin() {
        KubernetesClusterService service = (KubernetesClusterService) ClusterServices.create(
                plan(DeploymentPlan.Lock.KUBERNETES, Duration.ofSeconds(15)));

        assertThat(service.getRetryPeriodMillis()).isPositive();
        assertThat(service.getRenewDeadlineMillis()).isBetween(service.getRetryPeriodMillis(),
                service.getLeaseDurationMillis());
        assertThat(service.getLeaseDurationMillis() + service.getRetryPeriodMillis()
                + ClusterServices.START_MARGIN.toMillis()).isLessThanOrEqualTo(15_000);
        assertThat(service.getKubernetesResourceName()).isEqualTo("busbar");
        assertThat(service.getPodName()).isEqualTo("busbar-1");
        assertThat(service.getKubernetesNamespace()).isEqualTo("energy");
    }

    private static DeploymentPlan plan(DeploymentPlan.Lock lock, Duration takeoverWithin) {
        return new DeploymentPlan(DeploymentPlan.Mode.DISTRIBUTED, Optional.empty(),
                ForwardingScope.DEFAULT_TAKEOVER_OVERLAP, Optional.of(Path.of("/shared")), lock, takeoverWithin,
                "busbar-1", new KubernetesLeases(Optional.of("energy"), "busbar"));
    }
}
