package io.busbar.bootstrap;

import io.busbar.bootstrap.buffer.BufferQueues;
import io.busbar.bootstrap.buffer.DeadLetters;
import io.busbar.bootstrap.buffer.DiskLimit;
import io.busbar.bootstrap.buffer.EmbeddedBuffer;
import io.busbar.bootstrap.buffer.ExternalBuffer;
import java.util.OptionalLong;
import java.util.LinkedHashSet;
import java.util.Set;
import io.busbar.bootstrap.config.CompiledConfig;
import io.busbar.bootstrap.federation.FederationBroker;
import io.busbar.routes.BufferLayout;
import jakarta.jms.ConnectionFactory;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * The durable buffer: the embedded broker (default) or an external Artemis broker, HA pair or
 * cluster ({@code buffer.url}), and the JMS connection factory the routes use. Both go through
 * the same code path; only where the broker runs differs.
 */
@Configuration(proxyBeanMethods = false)
class BufferConfiguration {

    /** Site-to-central pieces of the embedded broker (forward:, central:); nothing when neither is configured. */
    @Bean
    FederationBroker federationBroker(CompiledConfig config) {
        return new FederationBroker(config.federation(), java.time.Clock.systemUTC());
    }

    @Bean(destroyMethod = "close")
    BufferQueues buffer(CompiledConfig config, FederationBroker federation) throws Exception {
        if (config.bufferUrl().isPresent()) {
            ExternalBuffer external = new ExternalBuffer(config.bufferUrl().get(), config.plan());
            external.start();
            return external;
        }
        EmbeddedBuffer embedded = new EmbeddedBuffer(config.bufferDataDir(), config.plan(), federation);
        embedded.start();
        return embedded;
    }

    /** buffer.max-disk limits the embedded broker; an external broker applies its own limits. */
    @Bean(destroyMethod = "close")
    DiskLimit diskLimit(CompiledConfig config, BufferQueues buffer) {
        return new DiskLimit(config.bufferDataDir(),
                config.bufferUrl().isPresent() ? OptionalLong.empty() : config.bufferMaxDisk());
    }

    @Bean
    DeadLetters deadLetters(BufferQueues buffer, CompiledConfig config) {
        Set<String> targets = new LinkedHashSet<>();
        config.plan().targets().forEach(target -> targets.add(target.name()));
        config.plan().pairs().forEach(pair -> targets.add(DeadLetters.SOURCE_PREFIX + pair.name()));
        config.plan().uplinks().forEach(uplink -> targets.add(DeadLetters.SOURCE_PREFIX + uplink.name()));
        // its own connections: replay and purge must not share sessions with the routes' cache
        return new DeadLetters(new ActiveMQConnectionFactory(url(config)), buffer, targets);
    }

    @Bean
    ConnectionFactory connectionFactory(BufferQueues buffer, CompiledConfig config) {
        ActiveMQConnectionFactory artemis = new ActiveMQConnectionFactory(url(config));
        // a durable send returns only once the broker has it in its synced journal
        artemis.setBlockOnDurableSend(true);
        // ingest sends chunks of up to BufferLayout.MAX_MESSAGE_BYTES; above Artemis' default of
        // 100 KiB each would go the slow large-message way
        artemis.setMinLargeMessageSize(BufferLayout.MIN_LARGE_MESSAGE_SIZE);
        // createQueue/createTopic otherwise ask the broker whether the address exists, a blocking
        // round trip per batch written and per forward-log trim; the buffer's addresses never go away
        artemis.setCacheDestinations(true);
        CachingConnectionFactory caching = new CachingConnectionFactory(artemis);
        caching.setSessionCacheSize(10);
        return caching;
    }

    private static String url(CompiledConfig config) {
        return config.bufferUrl().orElse(EmbeddedBuffer.IN_VM_URL);
    }
}
