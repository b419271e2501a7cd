package io.busbar.bootstrap.security;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Health details follow the management password: with one, only an authenticated caller sees the
 * servers, reasons and queues behind the status; without one (an open management network) everyone
 * does. Added as the lowest-precedence default, so {@code management.endpoint.health.show-details}
 * set anywhere else still wins.
 */
public class HealthDetailsDefault implements EnvironmentPostProcessor {

    static final String SHOW_DETAILS = "management.endpoint.health.show-details";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String password = environment.getProperty(ManagementAccess.PASSWORD_PROPERTY);
        String showDetails = password == null || password.isBlank() ? "always" : "when-authorized";
        environment.getPropertySources().addLast(new MapPropertySource("busbarHealthDetails",
                Map.of(SHOW_DETAILS, showDetails)));
    }
}
