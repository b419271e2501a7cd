package io.busbar.bootstrap.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.bootstrap.config.DeploymentPlan;
import io.busbar.bootstrap.config.DeploymentPlan.KubernetesLeases;
import io.busbar.routes.plan.ForwardingScope;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import org.apache.camel.component.kubernetes.KubernetesConfiguration;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lock: kubernetes} against fabric8's Kubernetes API mock (CRUD mode): two instances, one
 * Lease per pair; the leader goes away and the other takes the Lease over within takeover-within.
 */
class KubernetesLeaseIT {

    private static final String NAMESPACE = "energy";

    @TempDir
    Path shared;

    /** CRUD mode: the mock stores what is created, as an API server would (plain HTTP). */
    private final KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(),
            new HashMap<>(), new KubernetesCrudDispatcher(), false);
    private KubernetesClient client;
    private DefaultCamelContext first;
    private DefaultCamelContext second;

    @AfterEach
    void stop() {
        for (DefaultCamelContext context : new DefaultCamelContext[] {first, second}) {
            if (context != null) {
                context.stop();
            }
        }
        if (client != null) {
            client.close();
        }
        server.destroy();
    }

    @Test
    void leaderGone_otherInstanceTakesTheLeaseWithinTakeoverWithin() throws Exception {
        server.init();
        client = server.createClient();
        for (String pod : List.of("busbar-a", "busbar-b")) {
            // a running, ready pod: Camel counts only those as cluster members
            client.pods().inNamespace(NAMESPACE).resource(new PodBuilder().withNewMetadata().withName(pod)
                    .withNamespace(NAMESPACE).endMetadata()
                    .withNewStatus().withPhase("Running")
                    .addNewCondition().withType("Ready").withStatus("True").endCondition()
                    .addNewContainerStatus().withName("busbar").withReady(true).endContainerStatus()
                    .endStatus().build()).create();
        }
        PairLeadership a = leadership("busbar-a");
        first = start(a);
        await().atMost(Duration.ofSeconds(20)).until(() -> a.role("plant").leading());
        PairLeadership b = leadership("busbar-b");
        second = start(b);

        assertThat(client.leases().inNamespace(NAMESPACE).withName("busbar-plant").get())
                .as("the pair's Lease").isNotNull()
                .satisfies(lease -> assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("busbar-a"));
        assertThat(b.role("plant").leading()).isFalse();

        Instant gone = Instant.now();
        first.stop(); // the pod goes away without handing the Lease over; it must expire
        client.pods().inNamespace(NAMESPACE).withName("busbar-a").delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> b.role("plant").leading());
        long takeoverMs = Duration.between(gone, Instant.now()).toMillis();
        System.out.printf("kubernetes lease: busbar-b leads %d ms after busbar-a went away%n", takeoverMs);
        assertThat(Duration.ofMillis(takeoverMs)).isLessThanOrEqualTo(DeploymentPlan.DEFAULT_TAKEOVER_WITHIN);
        assertThat(client.leases().inNamespace(NAMESPACE).withName("busbar-plant").get().getSpec().getHolderIdentity())
                .isEqualTo("busbar-b");
    }

    private PairLeadership leadership(String pod) {
        DeploymentPlan plan = new DeploymentPlan(DeploymentPlan.Mode.DISTRIBUTED, Optional.empty(),
                ForwardingScope.DEFAULT_TAKEOVER_OVERLAP, Optional.of(shared), DeploymentPlan.Lock.KUBERNETES,
                DeploymentPlan.DEFAULT_TAKEOVER_WITHIN, pod, new KubernetesLeases(Optional.of(NAMESPACE), "busbar"));
        KubernetesConfiguration connection = new KubernetesConfiguration();
        // the mock API server instead of the pod's service account; each instance its own client,
        // as each pod has (Camel closes it when the instance stops)
        connection.setKubernetesClient(server.createClient());
        KubernetesClusterService service = io.busbar.bootstrap.deployment.KubernetesLeases.create(plan, connection);
        return new PairLeadership(service, pod, shared.resolve("leaders"), Clock.systemUTC());
    }

    private static DefaultCamelContext start(PairLeadership leadership) throws Exception {
        DefaultCamelContext context = new DefaultCamelContext();
        context.addService(leadership.service());
        context.start();
        leadership.watch(List.of("plant"));
        return context;
    }
}
