package io.busbar.connectors.opcua.simulator;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ubyte;

import io.busbar.support.DaemonThreads;
import io.busbar.support.FreePorts;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.model.objects.ServerTypeNode;
import org.eclipse.milo.opcua.sdk.server.servicesets.impl.DefaultSubscriptionServiceSet;
import org.eclipse.milo.opcua.sdk.server.subscriptions.Subscription;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.enumerated.RedundancySupport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a {@link SimulatedScadaServer}, from its {@code start()} to its {@code stop()}: Milo
 * does not restart a server. Owns the Milo server, the meter namespace, the ticker that publishes
 * every update slot, and the relay in front of a hangable server.
 */
final class ServerRun {

    /** Logged as the server, whose part this is. */
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedScadaServer.class);

    private final SimulatedScadaServer owner;
    private final OpcUaServer server;
    final MeterNamespace namespace;
    private final ScheduledExecutorService ticker;
    /** The tick scheduled next; the owner's monitor guards it. */
    private ScheduledFuture<?> nextTick;
    /** In front of the server when hangable, else null. */
    final HangableRelay relay;

    /** The monitored items of every subscription the server holds, over all sessions. */
    int monitoredItemCount() {
        return server.getSubscriptions().values().stream()
                .mapToInt(subscription -> subscription.getMonitoredItemCount().intValue()).sum();
    }

    /** The subscriptions the server holds, over all sessions. */
    int subscriptionCount() {
        return server.getSubscriptions().size();
    }

    /** The most subscriptions one session holds, 0 when none. */
    int mostSubscriptionsInOneSession() {
        return server.getSubscriptions().values().stream()
                .collect(Collectors.groupingBy(Subscription::getSession, Collectors.counting()))
                .values().stream().mapToInt(Long::intValue).max().orElse(0);
    }

    /** Where each subscription with monitored items stands in its keep-alive and lifetime countdowns. */
    List<SimulatedScadaServer.Countdowns> countdowns() {
        return monitoring()
                .map(subscription -> new SimulatedScadaServer.Countdowns(subscription.getPublishingInterval(),
                        subscription.getKeepAliveCounter(), subscription.getLifetimeCounter()))
                .toList();
    }

    /** The publishing interval (ms) of each subscription the server holds that has monitored items. */
    List<Double> publishingIntervals() {
        return monitoring().map(Subscription::getPublishingInterval).toList();
    }

    /** The subscriptions with monitored items, over all sessions. */
    private Stream<Subscription> monitoring() {
        return server.getSubscriptions().values().stream()
                .filter(subscription -> subscription.getMonitoredItemCount().intValue() > 0);
    }

    /** Called with the owner's monitor held. */
    ServerRun(SimulatedScadaServer owner) {
        this.owner = owner;
        // when hangable the relay takes the public port and the server binds a private one
        int serverPort = owner.hangable ? FreePorts.freeOn(owner.hostname) : owner.port;
        server = new OpcUaServer(serverConfig(serverPort),
                profile -> new OpcTcpServerTransport(OpcTcpServerTransportConfig.newBuilder().build()));
        // replaces Milo's own for the one endpoint path the server has
        server.addServiceSet(SimulatedScadaServer.ENDPOINT_PATH, new FaultySubscriptionServices(
                new DefaultSubscriptionServiceSet(server), () -> owner.subscriptionCreationDelay,
                owner.subscriptionChangesToRefuse));
        UpdateSlots slots = owner.slots;
        MeterHistory history = owner.historized == null ? null
                : new MeterHistory(owner.clock, owner.historyStart, slots.updateMillis(), slots.historyGaps());
        namespace = new MeterNamespace(server, SimulatedScadaServer.NAMESPACE_URI, new MeterNamespace.Options(
                history, owner.historized == null ? nodeId -> false : owner.historized, owner.pushUpdates,
                owner.nodeChurn, owner.liveUpdatesDropped, owner.meterReads, owner.clock));
        if (namespace.getNamespaceIndex().intValue() != SimulatedScadaServer.NAMESPACE_INDEX) {
            throw new IllegalStateException("namespace " + SimulatedScadaServer.NAMESPACE_URI + " got index "
                    + namespace.getNamespaceIndex());
        }
        namespace.itemCreationDelay = owner.itemCreationDelay;
        namespace.historyDelay = owner.historyDelay;
        namespace.startup();
        slots.startRun();
        if (owner.metersWanted()) {
            namespace.addMeters(1, owner.meterCount, slots.valuesSlotStart(), owner.clock.instant());
        }
        try {
            server.startup().get();
            relay = owner.hangable
                    ? new HangableRelay(owner.hostname, owner.port, serverPort, owner.applicationName, owner.hung)
                    : null;
            if (relay != null) {
                relay.setAnswerDelay(owner.answerDelay);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw shutDownAfterFailure(e);
        } catch (ExecutionException e) {
            throw shutDownAfterFailure(e.getCause());
        } catch (IOException e) {
            throw shutDownAfterFailure(e);
        }
        ServerTypeNode serverNode = serverNode();
        serverNode.getServerRedundancyNode().setRedundancySupport(RedundancySupport.Hot);
        applyServiceLevel();
        namespace.setRoleActive(owner.roleActive, owner.clock.instant());
        ticker = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("busbar-simulator-" + owner.applicationName));
        scheduleNextTick();
    }

    void applyServiceLevel() {
        serverNode().setServiceLevel(ubyte(owner.serviceLevel));
    }

    /** Deletes or creates the meter nodes to match the role, for servers with node churn. */
    void applyRole() {
        namespace.setRoleActive(owner.roleActive, owner.clock.instant());
        if (owner.nodeChurn == SimulatedScadaServer.NodeChurn.NONE) {
            return;
        }
        if (owner.roleActive && !namespace.hasMeters()) {
            namespace.addMeters(1, owner.meterCount, owner.slots.valuesSlotStart(), owner.clock.instant());
        } else if (!owner.roleActive && namespace.hasMeters()) {
            namespace.removeMeters(owner.clock.instant());
        }
    }

    void shutdown() {
        ticker.shutdownNow();
        if (relay != null) {
            relay.close();
        }
        server.shutdown().join();
        namespace.shutdown();
    }

    private void tick() {
        synchronized (owner) {
            if (owner.running != this) {
                return; // stopped while this tick waited for the monitor
            }
            try {
                owner.slots.publishDue(slot -> namespace.publish(slot, owner.clock.instant()));
            } catch (RuntimeException e) {
                LOG.warn("Simulated SCADA server '{}' could not publish values", owner.applicationName, e);
            }
            scheduleNextTick();
        }
    }

    /**
     * Wakes up at the start of the next update slot, so the source time is that slot's start; later
     * by the owner's {@code nextUpdateDelay}, once, when a late update was asked for.
     */
    private void scheduleNextTick() {
        long delay = owner.slots.untilNextSlot() + owner.nextUpdateDelay.toMillis();
        owner.nextUpdateDelay = Duration.ZERO;
        try {
            nextTick = ticker.schedule(this::tick, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            // the server is being stopped
        }
    }

    /** Called with the owner's monitor held: the pending tick is replaced by one that honours a new delay. */
    void rescheduleTick() {
        if (nextTick != null && nextTick.cancel(false)) {
            scheduleNextTick();
        }
    }

    private ServerTypeNode serverNode() {
        return (ServerTypeNode) server.getAddressSpaceManager()
                .getManagedNode(NodeIds.Server)
                .orElseThrow(() -> new IllegalStateException("the server has no Server object"));
    }

    private IllegalStateException shutDownAfterFailure(Throwable cause) {
        server.shutdown().join();
        namespace.shutdown();
        return new IllegalStateException("could not bind " + owner.endpointUrl(), cause);
    }

    private OpcUaServerConfig serverConfig(int serverPort) {
        return OpcUaServerConfig.builder()
                .setApplicationName(LocalizedText.english(owner.applicationName))
                .setApplicationUri(owner.applicationUri())
                .setProductUri("urn:busbar:simulator")
                .setEndpoints(owner.security.endpoints(owner.hostname, serverPort, SimulatedScadaServer.ENDPOINT_PATH))
                .setIdentityValidator(owner.security.identityValidator())
                .setCertificateManager(owner.security.certificateManager())
                .build();
    }
}
