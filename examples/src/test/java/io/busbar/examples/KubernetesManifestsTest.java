package io.busbar.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.bootstrap.config.CompiledConfig;
import io.busbar.bootstrap.config.ConfigFile;
import io.busbar.bootstrap.config.DeploymentPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** The Kubernetes example: the ConfigMap's busbar.yaml validates, the manifests fit together. */
class KubernetesManifestsTest {

    private static final Path DIR = Path.of("kubernetes");

    @TempDir
    Path mounted;

    @Test
    void configMap_holdsAValidDistributedConfigWithItsMapping() throws IOException {
        Map<String, Object> configMap = documents().stream().filter(d -> "ConfigMap".equals(d.get("kind"))).findFirst()
                .orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, String> data = (Map<String, String>) configMap.get("data");
        for (var file : data.entrySet()) { // as the pod sees the volume: one file per key
            Files.writeString(mounted.resolve(file.getKey()), file.getValue());
        }

        CompiledConfig config = ConfigFile.load(mounted.resolve("busbar.yaml"),
                Map.of("POD_NAME", "busbar-7d9f-x2k4q", "POD_NAMESPACE", "energy", "BUSBAR_DB_PASSWORD", "secret")::get);

        assertThat(config.deployment().mode()).isEqualTo(DeploymentPlan.Mode.DISTRIBUTED);
        assertThat(config.deployment().lock()).isEqualTo(DeploymentPlan.Lock.KUBERNETES);
        assertThat(config.deployment().instanceId()).isEqualTo("busbar-7d9f-x2k4q");
        assertThat(config.deployment().sharedDir()).contains(Path.of("/shared"));
        assertThat(config.deployment().kubernetes().namespace()).contains("energy");
    }

    @Test
    void deployment_mountsTheConfigAndSharedVolume_probesTheActuator() throws IOException {
        List<Map<String, Object>> documents = documents();
        assertThat(documents).extracting(d -> d.get("kind")).contains("ConfigMap", "ServiceAccount", "Role",
                "RoleBinding", "PersistentVolumeClaim", "Deployment");
        Map<String, Object> deployment = documents.stream().filter(d -> "Deployment".equals(d.get("kind"))).findFirst()
                .orElseThrow();
        Map<String, Object> pod = map(map(map(deployment, "spec"), "template"), "spec");
        Map<String, Object> container = list(pod, "containers").get(0);
        assertThat(map(map(container, "livenessProbe"), "httpGet")).containsEntry("path", "/actuator/health/liveness");
        assertThat(map(map(container, "readinessProbe"), "httpGet")).containsEntry("path", "/actuator/health/readiness");
        assertThat(container.get("args")).asList().containsSequence("--config", "/etc/busbar/busbar.yaml");
        assertThat(pod).containsEntry("serviceAccountName", "busbar");
        assertThat(list(pod, "volumes")).anySatisfy(v -> assertThat(v).containsKey("configMap"))
                .anySatisfy(v -> assertThat(map(v, "persistentVolumeClaim")).containsEntry("claimName", "busbar-shared"));
    }

    @Test
    void role_grantsWhatLeaseElectionNeeds() throws IOException {
        Map<String, Object> role = documents().stream().filter(d -> "Role".equals(d.get("kind"))).findFirst().orElseThrow();
        assertThat(list(role, "rules")).anySatisfy(rule -> {
            assertThat(rule.get("resources")).asList().contains("leases");
            assertThat(rule.get("verbs")).asList().contains("get", "create", "update");
        });
    }

    private static List<Map<String, Object>> documents() throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object document : new Yaml().loadAll(Files.readString(file))) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> map = (Map<String, Object>) document;
                    documents.add(map);
                }
            }
        }
        return documents;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
        return (List<Map<String, Object>>) parent.get(key);
    }
}
