package io.busbar.bootstrap.buffer;

import java.util.Optional;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager;

/** More set-up of the embedded broker by another concern (site-to-central), applied before it starts. */
public interface BrokerExtension {

    BrokerExtension NONE = configuration -> { };

    void configure(Configuration configuration);

    /** The security manager the broker must use; empty for Busbar's default (security off). */
    default Optional<ActiveMQSecurityManager> securityManager() {
        return Optional.empty();
    }
}
