package io.busbar.bootstrap.accounting;

import io.busbar.bootstrap.buffer.BufferQueues;
import io.busbar.bootstrap.buffer.EmbeddedBuffer;
import io.busbar.bootstrap.config.CompiledConfig;
import io.busbar.mappings.Mapping;
import io.busbar.mappings.yaml.LocatedDocument;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The running accounting, when busbar.yaml has an {@code accounting:} section. */
@Configuration(proxyBeanMethods = false)
class AccountingConfiguration {

    /** Empty without an {@code accounting:} section; the queue exists before any route starts. */
    @Bean(destroyMethod = "close")
    AccountingService accountingService(CompiledConfig config, BufferQueues buffer) throws Exception {
        if (!java.nio.file.Files.isRegularFile(config.file())) {
            return AccountingService.disabled(); // a configuration not read from a file has no accounting: section
        }
        Map<String, Mapping> mappings = new LinkedHashMap<>();
        config.plan().pairs().forEach(pair -> mappings.put(pair.name(), pair.mapping()));
        var root = LocatedDocument.read(config.file(), config.file().toString()).root();
        Optional<AccountingSettings> settings = AccountingSettings.of(root, config.file().toAbsolutePath().getParent(),
                config.bufferDataDir(), mappings);
        if (settings.isEmpty() || settings.get().pairs().isEmpty()) {
            return AccountingService.disabled();
        }
        AccountingService service = new AccountingService(settings.get(), config.plan().pairs().stream()
                .filter(p -> settings.get().pairs().contains(p.name())).toList());
        service.ensureQueue(config.bufferUrl().orElse(EmbeddedBuffer.IN_VM_URL));
        return service;
    }

    @Bean
    CamelContextConfiguration accountingRoute(AccountingService service) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camelContext) {
                if (service.enabled()) {
                    try {
                        camelContext.addRoutes(new AccountingRoute(service));
                    } catch (Exception e) {
                        throw new IllegalStateException("cannot build the accounting route", e);
                    }
                }
            }

            @Override
            public void afterApplicationStart(CamelContext camelContext) {
            }
        };
    }

}
