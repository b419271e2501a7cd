package io.busbar.bootstrap.config;

import io.busbar.mappings.model.ServerRole;
import io.busbar.routes.plan.ForwardingScope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code deployment} section: how this instance shares its source pairs with other Busbar
 * instances.
 *
 * @param mode            standalone, co-located or distributed
 * @param beside          co-located: the server of each pair this instance runs beside
 * @param takeoverOverlap co-located and distributed: history read again before a takeover point
 * @param sharedDir       distributed: the directory all instances share (watermarks, file locks)
 * @param lock            distributed: how each pair's leader is chosen
 * @param takeoverWithin  distributed: the longest time a lost leader stays unreplaced
 * @param instanceId      this instance's name, shown as lock holder
 * @param kubernetes      distributed with {@link Lock#KUBERNETES}: where the Leases live
 */
public record DeploymentPlan(Mode mode, Optional<ServerRole> beside, Duration takeoverOverlap, Optional<Path> sharedDir,
                             Lock lock, Duration takeoverWithin, String instanceId, KubernetesLeases kubernetes) {

    public static final Duration DEFAULT_TAKEOVER_WITHIN = Duration.ofSeconds(15);
    public static final Duration MIN_TAKEOVER_WITHIN = Duration.ofSeconds(5);

    /** The deployment modes of {@code deployment.mode}. */
    public enum Mode {
        STANDALONE, CO_LOCATED, DISTRIBUTED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** How the leader of a pair is chosen in distributed mode. */
    public enum Lock {
        FILE, KUBERNETES;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param namespace   namespace of the Leases; empty for the pod's own
     * @param leasePrefix the Lease of pair P is named {@code <leasePrefix>-P}
     */
    public record KubernetesLeases(Optional<String> namespace, String leasePrefix) {
        public static final String DEFAULT_LEASE_PREFIX = "busbar";
    }

    public static DeploymentPlan standalone() {
        return new DeploymentPlan(Mode.STANDALONE, Optional.empty(), ForwardingScope.DEFAULT_TAKEOVER_OVERLAP,
                Optional.empty(), Lock.FILE, DEFAULT_TAKEOVER_WITHIN, defaultInstanceId(),
                new KubernetesLeases(Optional.empty(), KubernetesLeases.DEFAULT_LEASE_PREFIX));
    }

    /** What the source pairs of this instance forward. */
    public ForwardingScope scope() {
        return switch (mode) {
            case STANDALONE -> ForwardingScope.standalone();
            case CO_LOCATED -> ForwardingScope.beside(beside.orElseThrow(), takeoverOverlap);
            case DISTRIBUTED -> ForwardingScope.leader(takeoverOverlap);
        };
    }

    /**
     * Where the per-pair watermark files live: in distributed mode on the shared directory, so the
     * next leader continues from them; otherwise beside this instance's own buffer.
     */
    public Path watermarkDir(Path bufferDataDir) {
        return mode == Mode.DISTRIBUTED ? sharedDir.orElseThrow().resolve("watermarks") : bufferDataDir.resolve("watermarks");
    }

    static String defaultInstanceId() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                host = "busbar";
            }
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}
