package io.busbar.bootstrap.security;

import java.util.Optional;
import org.springframework.core.env.Environment;

/**
 * Who may use the management endpoints (health details, metrics, redundancy control, dead
 * letters, demo controls). Set {@value #PASSWORD_PROPERTY} — best as the environment variable
 * {@code BUSBAR_MANAGEMENT_PASSWORD}, so it appears neither in a file nor in the process list — and
 * every endpoint but the plain health status and the Kubernetes probes asks for HTTP basic
 * authentication. Without it the endpoints are open, as on a trusted management network, and
 * Busbar says so in its log at start.
 *
 * @param username the user name, {@value #DEFAULT_USERNAME} unless {@value #USERNAME_PROPERTY} says otherwise
 * @param password the password; empty: no authentication
 */
public record ManagementAccess(String username, Optional<String> password) {

    public static final String USERNAME_PROPERTY = "busbar.management.username";
    public static final String PASSWORD_PROPERTY = "busbar.management.password";
    public static final String PASSWORD_ENV = "BUSBAR_MANAGEMENT_PASSWORD";
    public static final String DEFAULT_USERNAME = "busbar";

    public static ManagementAccess of(Environment environment) {
        String password = environment.getProperty(PASSWORD_PROPERTY);
        return new ManagementAccess(environment.getProperty(USERNAME_PROPERTY, DEFAULT_USERNAME),
                password == null || password.isBlank() ? Optional.empty() : Optional.of(password));
    }

    public boolean secured() {
        return password.isPresent();
    }

    @Override
    public String toString() {
        return "ManagementAccess[username=" + username + ", password=" + (secured() ? "****" : "none") + "]";
    }
}
