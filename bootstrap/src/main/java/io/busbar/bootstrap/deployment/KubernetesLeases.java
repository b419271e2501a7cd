package io.busbar.bootstrap.deployment;

import io.busbar.bootstrap.config.DeploymentPlan;
import java.time.Duration;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.kubernetes.KubernetesConfiguration;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;

/**
 * Distributed mode on Kubernetes: each pair's leader holds a {@code coordination.k8s.io/v1} Lease
 * named {@code <lease-prefix>-<pair>} (camel-kubernetes). The pod needs get, list, watch, create
 * and update on leases (and get/list on pods) in the namespace; see examples/kubernetes.
 *
 * <p>KubernetesLeaseIT runs it against fabric8's API mock; it has not run against a real cluster.
 */
final class KubernetesLeases {

    private KubernetesLeases() {
    }

    /** In a pod: the API server, credentials and namespace come from the pod's service account. */
    static CamelClusterService create(DeploymentPlan plan) {
        return create(plan, new KubernetesConfiguration());
    }

    /** @param connection how to reach the API server (a test passes its own client) */
    static KubernetesClusterService create(DeploymentPlan plan, KubernetesConfiguration connection) {
        KubernetesClusterService service = new KubernetesClusterService(connection);
        service.setId(plan.instanceId());
        service.setLeaseResourceType(LeaseResourceType.Lease);
        service.setKubernetesResourceName(plan.kubernetes().leasePrefix());
        service.setPodName(plan.instanceId());
        plan.kubernetes().namespace().ifPresent(namespace -> {
            service.setKubernetesNamespace(namespace); // where the member pods are looked up
            service.setKubernetesResourcesNamespace(namespace); // where the Leases live
        });
        // a lost leader's lease must expire, be noticed (one retry period) and the pair be started,
        // all within takeover-within: 15s gives an 8.3s lease, renewed within 5.6s, retried every 1.7s
        Duration budget = plan.takeoverWithin().minus(ClusterServices.START_MARGIN);
        Duration retry = budget.dividedBy(6);
        Duration lease = budget.minus(retry);
        service.setLeaseDurationMillis(lease.toMillis());
        service.setRenewDeadlineMillis(lease.multipliedBy(2).dividedBy(3).toMillis());
        service.setRetryPeriodMillis(retry.toMillis());
        return service;
    }
}
