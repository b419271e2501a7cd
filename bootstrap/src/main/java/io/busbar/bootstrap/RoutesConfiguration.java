package io.busbar.bootstrap;

import io.busbar.bootstrap.buffer.BufferQueues;
import io.busbar.bootstrap.buffer.DiskLimit;
import io.busbar.bootstrap.buffer.TargetBacklog;
import io.busbar.bootstrap.config.CompiledConfig;
import io.busbar.bootstrap.deployment.ConnectorDeployment;
import io.busbar.bootstrap.federation.FederationLayout;
import io.busbar.bootstrap.reload.MappingWatcher;
import io.busbar.connectors.target.Target;
import io.busbar.connectors.target.TargetSettings;
import io.busbar.connectors.target.Targets;
import io.busbar.routes.BufferLayout;
import io.busbar.routes.delivery.DeliveryRoute;
import io.busbar.routes.plan.SourcePairPlan;
import io.busbar.routes.source.BufferTransaction;
import io.busbar.routes.source.BusbarSourceComponent;
import io.busbar.routes.source.IngestRoute;
import io.busbar.routes.source.SourcePairs;
import io.busbar.routes.uplink.UplinkSourceComponent;
import io.busbar.routes.uplink.UplinkSourcePlan;
import io.busbar.routes.uplink.UplinkSources;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.jms.ConnectionFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.spring.spi.SpringTransactionPolicy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Builds the routes of the compiled configuration: one ingest route per source (pair or uplink
 * source, consuming its {@code busbar-source:} or {@code busbar-uplinks:} endpoint), one delivery
 * route per target.
 */
@Configuration(proxyBeanMethods = false)
class RoutesConfiguration {

    /** The targets, started before their routes consume and closed after the routes stopped. */
    @Bean(destroyMethod = "close")
    StartedTargets startedTargets(CompiledConfig config) throws Exception {
        return StartedTargets.start(config.plan().targets());
    }

    /** The running IoT uplink sources, for health. */
    @Bean
    UplinkSources uplinkSources() {
        return new UplinkSources();
    }

    /** The running source pairs, for health and manual control; their read-backs wait for targets that are behind. */
    @Bean
    SourcePairs sourcePairs(CompiledConfig config, BufferQueues queues) {
        List<String> delivery = new ArrayList<>();
        config.plan().targets().forEach(target -> delivery.add(BufferLayout.targetQueue(target.name())));
        config.federation().forward().ifPresent(link -> delivery.add(FederationLayout.OUTBOX_QUEUE));
        return new SourcePairs(new TargetBacklog(queues, delivery, Clock.systemUTC()));
    }

    /** Hot reload of mapping files. */
    @Bean(destroyMethod = "close")
    MappingWatcher mappingWatcher(CompiledConfig config, SourcePairs pairs) {
        return new MappingWatcher(config, pairs);
    }

    /** How this instance shares its pairs with other instances (deployment.mode). */
    @Bean
    ConnectorDeployment connectorDeployment(CompiledConfig config) {
        return new ConnectorDeployment(config);
    }

    /** {@code busbar-source:<pair>}: the configured source pairs as Camel endpoints. */
    @Bean(BusbarSourceComponent.SCHEME)
    BusbarSourceComponent busbarSourceComponent(CompiledConfig config, MeterRegistry registry, SourcePairs pairs) {
        return new BusbarSourceComponent(config.plan().pairs(), registry, pairs);
    }

    /** {@code busbar-uplinks:<name>}: the configured IoT uplink sources as Camel endpoints. */
    @Bean(UplinkSourceComponent.SCHEME)
    UplinkSourceComponent busbarUplinksComponent(CompiledConfig config, UplinkSources uplinks) {
        return new UplinkSourceComponent(config.plan().uplinks(), uplinks);
    }

    /**
     * The JMS transaction the ingest routes write the buffer in, on the {@code jms} component's
     * factory (Spring Boot autowires the same {@link ConnectionFactory} bean into it).
     */
    @Bean(BufferTransaction.POLICY)
    SpringTransactionPolicy busbarBufferTransaction(ConnectionFactory connections) {
        return BufferTransaction.policy(connections);
    }

    @Bean
    CamelContextConfiguration busbarRoutes(CompiledConfig config, StartedTargets targets, MeterRegistry registry,
                                           DiskLimit diskLimit, ConnectorDeployment deployment) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camelContext) {
                try {
                    deployment.install(camelContext); // distributed: ingest routes start only on the leader
                    int index = 0;
                    for (Target target : targets.all()) {
                        camelContext.addRoutes(new DeliveryRoute(target, registry, index++, config.plan().retry(target.name()),
                                config.plan().parallelism(target.name())));
                    }
                    index = 0;
                    for (SourcePairPlan pair : config.plan().pairs()) {
                        String source = BusbarSourceComponent.uri(pair.name(), deployment.plan().scope(),
                                Optional.of(deployment.plan().watermarkDir(config.bufferDataDir())
                                        .resolve(pair.name() + ".json")));
                        camelContext.addRoutes(new IngestRoute(pair.name(), index++, source, diskLimit));
                    }
                    for (UplinkSourcePlan uplink : config.plan().uplinks()) {
                        camelContext.addRoutes(new IngestRoute(uplink.name(), index++,
                                UplinkSourceComponent.uri(uplink.name()), diskLimit));
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("cannot build the routes", e);
                }
            }

            @Override
            public void afterApplicationStart(CamelContext camelContext) {
                // routes start with the context; distributed: follow who leads each pair
                try {
                    deployment.started();
                } catch (Exception e) {
                    throw new IllegalStateException("cannot follow the pairs' leadership", e);
                }
            }
        };
    }

    /** Targets with a shared lifecycle; a failure to start one closes those already started. */
    record StartedTargets(List<Target> all) implements AutoCloseable {

        static StartedTargets start(List<TargetSettings> settings) throws Exception {
            List<Target> started = new ArrayList<>();
            try {
                for (TargetSettings s : settings) {
                    Target target = Targets.create(s);
                    target.start();
                    started.add(target);
                }
            } catch (Exception e) {
                new StartedTargets(started).close();
                throw e;
            }
            return new StartedTargets(List.copyOf(started));
        }

        @Override
        public void close() throws Exception {
            for (Target target : all) {
                target.close();
            }
        }
    }
}
