package io.busbar.bootstrap.config.schema;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.busbar.connectors.schema.Schema;
import java.time.Duration;

/** {@code deployment:}; checked further and compiled by {@code DeploymentCompiler}. */
@JsonClassDescription("How this Busbar instance shares its source pairs with other instances: standalone (default;"
        + " the only instance), co-located (one instance beside each SCADA server of a pair; the one beside the active"
        + " server forwards) or distributed (any number of instances; for each pair exactly one leads, chosen by a"
        + " cluster lock).")
public record DeploymentConfig(
        @Schema.Choice(value = {"standalone", "co-located", "distributed"},
                message = "must be one of: standalone, co-located, distributed")
        @JsonPropertyDescription("standalone (default), co-located or distributed.") String mode,
        @Schema.Choice(value = {"primary", "secondary"}, message = "must be one of: primary, secondary")
        @JsonPropertyDescription("co-located: the server of each pair this instance runs beside; it forwards only while"
                + " that server is the active one. Required in co-located mode.") String beside,
        @JsonProperty("takeover-overlap")
        @JsonPropertyDescription("co-located and distributed: on takeover, history this long before the takeover point"
                + " is read again, so nothing the other instance had not yet delivered is missed; the repeated readings"
                + " carry the same keys. Default 30s.") Duration takeoverOverlap,
        @JsonProperty("shared-dir") @Schema.Size(min = 1)
        @JsonPropertyDescription("distributed: a directory every instance mounts (NFS, a Kubernetes ReadWriteMany"
                + " volume), relative to this file. The per-pair watermarks live here, so a new leader continues where"
                + " the lost one stopped; with lock: file the lock files too. Required in distributed mode.")
        String sharedDir,
        @Schema.Choice(value = {"file", "kubernetes"}, message = "must be one of: file, kubernetes")
        @JsonPropertyDescription("distributed: how the leader of each pair is chosen: file (a file lock in shared-dir;"
                + " default) or kubernetes (a coordination.k8s.io Lease per pair).") String lock,
        @JsonProperty("takeover-within")
        @JsonPropertyDescription("distributed: a lost leader is replaced within this time (lock heartbeat and"
                + " staleness are derived from it). At least 5s; default 15s.") Duration takeoverWithin,
        @JsonProperty("instance-id") @Schema.Size(min = 1)
        @Schema.Pattern(value = "^([A-Za-z0-9][A-Za-z0-9._-]*|\\$\\{[A-Za-z_][A-Za-z0-9_]*\\})$",
                message = "must be a name (letters, digits, dot, underscore, hyphen) or an environment reference such"
                        + " as $'{'HOSTNAME'}'")
        @JsonPropertyDescription("distributed: this instance's name, shown as the lock holder in health; ${VAR} is read"
                + " from the environment (e.g. ${HOSTNAME}). Default: the host name.") String instanceId,
        KubernetesConfig kubernetes) {

    /** {@code deployment.kubernetes:}. */
    @JsonClassDescription("distributed with lock: kubernetes: where the Leases live.")
    public record KubernetesConfig(
            @Schema.Size(min = 1)
            @JsonPropertyDescription("Namespace of the Leases (and of the member pods); ${VAR} is read from the"
                    + " environment, e.g. ${POD_NAMESPACE} from the downward API. Default: the Kubernetes client's own"
                    + " namespace (in a pod, its service account's).") String namespace,
            @JsonProperty("lease-prefix")
            @Schema.Pattern(value = "^[a-z0-9][a-z0-9-]{0,40}$", message = "must be a lower-case kebab-case name")
            @JsonPropertyDescription("Lease name prefix; the Lease of pair P is <prefix>-P. Default busbar.")
            String leasePrefix) {
    }
}
