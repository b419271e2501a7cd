package io.busbar.bootstrap.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * HTTP access to Busbar's endpoints, as {@link ManagementAccess} says: with a password, the plain
 * health status ({@code UP}/{@code DOWN}, what a load balancer or a redundancy monitor polls) and
 * the liveness/readiness probes stay public and everything else needs HTTP basic authentication;
 * without one, everything is open; the status page at {@code /} is behind the same password. Stateless:
 * no session cookie, so no CSRF token to carry. The status page's browser does hold the basic
 * credentials, but the actuator's write operations take only a JSON body, which another site
 * cannot send here without a CORS preflight that Busbar does not answer.
 */
@Configuration(proxyBeanMethods = false)
public class ManagementSecurity {

    private static final Logger log = LoggerFactory.getLogger(ManagementSecurity.class);
    static final String[] PUBLIC_HEALTH = {"/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness"};

    @Bean
    ManagementAccess managementAccess(Environment environment) {
        return ManagementAccess.of(environment);
    }

    @Bean
    SecurityFilterChain managementEndpoints(HttpSecurity http, ManagementAccess access) throws Exception {
        http.csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        if (!access.secured()) {
            log.warn("The management endpoints (health details, metrics, redundancy control, dead letters) are open"
                    + " to anyone who reaches the HTTP port; set {} to require a password", ManagementAccess.PASSWORD_ENV);
            http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll());
        } else {
            log.info("The management endpoints need HTTP basic authentication as '{}'; the health status and the"
                    + " probes stay public", access.username());
            http.authorizeHttpRequests(requests -> requests
                            .requestMatchers(HttpMethod.GET, PUBLIC_HEALTH).permitAll()
                            .anyRequest().authenticated())
                    .httpBasic(Customizer.withDefaults());
        }
        return http.build();
    }

    /** The one management user; its password is kept only as a hash. Also keeps Spring from generating one. */
    @Bean
    UserDetailsService managementUser(ManagementAccess access, PasswordEncoder encoder) {
        if (!access.secured()) {
            return new InMemoryUserDetailsManager();
        }
        return new InMemoryUserDetailsManager(User.withUsername(access.username())
                .password(encoder.encode(access.password().orElseThrow())).roles("MANAGEMENT").build());
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }
}
