package io.busbar.routes.source;

import io.busbar.routes.plan.ForwardingScope;
import io.busbar.routes.plan.SourcePairPlan;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.jms.ConnectionFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a source pair and feeds the ingest route: each batch from its active server becomes one synchronous exchange. */
final class SourcePairConsumer extends HandOffConsumer {

    private static final Logger log = LoggerFactory.getLogger(SourcePairConsumer.class);

    private SourcePairPlan plan;
    private final ForwardingScope scope;
    private final MeterRegistry registry;
    private final SourcePairs pairs;
    private SourcePairRuntime runtime;
    /** Resolving the mapping's browse templates before the runtime can start; null otherwise. */
    private PairStarter starter;

    private final Optional<Path> watermarkFile;

    SourcePairConsumer(SourcePairEndpoint endpoint, Processor processor, SourcePairPlan plan, ForwardingScope scope,
                       MeterRegistry registry, SourcePairs pairs, Optional<Path> watermarkFile) {
        super(endpoint, processor);
        this.plan = plan;
        this.scope = scope;
        this.registry = registry;
        this.pairs = pairs;
        this.watermarkFile = watermarkFile;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        pairs.registerConsumer(plan.name(), this);
        startRuntime();
    }

    @Override
    protected void doStop() throws Exception {
        stopRuntime();
        super.doStop();
    }

    /** Replaces the running pair by one with the new plan; watermarks carry over through their file. */
    synchronized void reload(SourcePairPlan newPlan) {
        stopRuntime();
        plan = newPlan;
        if (isRunAllowed()) {
            startRuntime();
        }
    }

    private synchronized void startRuntime() {
        plan = pairs.planFor(plan); // a mapping may have been reloaded while the pair did not run here
        if (!plan.mapping().needsAddressSpace()) {
            startRuntime(plan);
            return;
        }
        // browse templates: the pair starts once a server can be browsed, however long that takes
        PairStarter next = new PairStarter(plan, BrowseTemplates::resolve, pairs, Clock.systemUTC());
        starter = next;
        next.start(resolved -> startResolved(next, resolved));
    }

    private synchronized void startResolved(PairStarter resolvedBy, SourcePairPlan resolved) {
        if (starter != resolvedBy) {
            return; // stopped or reloaded while the templates were being resolved
        }
        starter = null;
        try {
            startRuntime(resolved);
        } catch (RuntimeException e) {
            // on the starter's thread, where nobody else would see it
            log.error("Source pair {}: cannot start with the resolved mapping", plan.name(), e);
        }
    }

    private void startRuntime(SourcePairPlan ready) {
        runtime = new SourcePairRuntime(ready, scope, this::handOff, registry, Clock.systemUTC(), watermarkFile,
                forwardLog(), pairs.deliveryBacklog());
        pairs.register(runtime);
        runtime.start();
    }

    /**
     * The pair's forward log in the buffer, with the watermarks it complements, on the factory of
     * the ingest route's transaction ({@link BufferTransaction}). A distributed leader only trims it
     * (its watermarks come from a shared file that other instances wrote too, so it rewinds by the
     * takeover overlap instead of recovering), which keeps the queue small there too.
     */
    private Optional<ForwardLog> forwardLog() {
        if (watermarkFile.isEmpty()) {
            return Optional.empty();
        }
        ConnectionFactory connections = BufferTransaction.connectionsIfBound(getEndpoint().getCamelContext());
        return connections == null ? Optional.empty() : Optional.of(new JmsForwardLog(connections, plan.name()));
    }

    private synchronized void stopRuntime() {
        if (starter != null) {
            starter.close();
            starter = null;
        }
        if (runtime != null) {
            pairs.unregister(runtime);
            runtime.close();
            runtime = null;
        }
    }
}
