package dev.twophase.coordinator.security;

import dev.twophase.security.SignatureVerifier;
import dev.twophase.web.BodySizeLimit;
import dev.twophase.web.ProblemResponses;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.util.List;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * Who may call what, as three filter chains:
 *
 * <ol>
 *   <li>decision inquiries ({@code /api/transactions/{id}/decision}): banks, by a signature with their protocol secret;
 *   <li>the transfer and transaction APIs ({@code /api/transfers/**}, {@code /api/transactions/{id}}): clients, by API
 *       key, then rate limited;
 *   <li>everything else: the dashboard and the ops API need a login (roles VIEWER and OPERATOR; only an OPERATOR
 *       acts), with CSRF protection for the page's POSTs; health, metrics and the API docs are open (they hold no
 *       secret and change nothing).
 * </ol>
 *
 * The first two are stateless and take no cookies, so cross-site request forgery does not apply to them.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    @Order(1)
    SecurityFilterChain decisionInquiries(HttpSecurity http, Secrets secrets, SecurityProperties security, Clock clock)
            throws Exception {
        SignatureVerifier verifier =
                new SignatureVerifier(secrets.protocolSecrets(), security.signatureWindow(), clock, 1_000_000);
        stateless(http.securityMatcher("/api/transactions/*/decision"))
                .addFilterBefore(new BankSignatureAuthentication(verifier), AuthorizationFilter.class)
                .authorizeHttpRequests(a -> a.anyRequest().hasAuthority(BankSignatureAuthentication.ROLE));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain transferApi(HttpSecurity http, Secrets secrets, SecurityProperties security) throws Exception {
        stateless(http.securityMatcher(
                        "/api/transfers", "/api/transfers/**", "/api/transactions", "/api/transactions/*"))
                .addFilterBefore(new ApiKeyAuthentication(secrets.apiKeys()), AuthorizationFilter.class)
                .addFilterAfter(new TransferAdmission(security.limits()), ApiKeyAuthentication.class)
                .authorizeHttpRequests(a -> a.anyRequest().hasAuthority(ApiKeyAuthentication.ROLE));
        return http.build();
    }

    /**
     * A chain for callers that authenticate every request themselves: no session, no cookies (so no CSRF), and none
     * of the browser-login filters (logout, the saved request to return to after a login) that would run on every
     * request for nothing.
     */
    private static HttpSecurity stateless(HttpSecurity http) throws Exception {
        return http.csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable());
    }

    @Bean
    @Order(3)
    SecurityFilterChain dashboard(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(a -> a.requestMatchers(
                                "/actuator/health",
                                "/actuator/health/**",
                                "/actuator/info",
                                "/actuator/prometheus",
                                "/actuator/metrics",
                                "/actuator/metrics/**",
                                "/v3/api-docs",
                                "/v3/api-docs/**",
                                "/swagger-ui.html",
                                "/swagger-ui/**",
                                "/login",
                                "/error")
                        .permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/ops/**")
                        .hasRole(SecurityProperties.Role.OPERATOR.name())
                        .requestMatchers("/dashboard", "/dashboard/**", "/api/ops/**")
                        .hasAnyRole(SecurityProperties.Role.VIEWER.name(), SecurityProperties.Role.OPERATOR.name())
                        .anyRequest()
                        .denyAll())
                .formLogin(form -> form.defaultSuccessUrl("/dashboard", true))
                // For operators' scripts (curl -u). The API's 401 carries no Basic challenge, so a browser never
                // caches these credentials and cannot send them along with a forged cross-site request.
                .httpBasic(basic -> {})
                .logout(logout -> logout.logoutSuccessUrl("/login?logout"))
                // The page reads the token from the XSRF-TOKEN cookie and sends it back as X-XSRF-TOKEN. A request
                // that carries its own Authorization header is not riding on a browser's cookies: no token needed.
                .csrf(csrf -> csrf.spa().ignoringRequestMatchers(request -> request.getHeader("Authorization") != null))
                // The JSON API answers 401 / 403; only the page redirects to the login form.
                .exceptionHandling(e -> e.defaultAuthenticationEntryPointFor(
                                (request, response, failure) -> ProblemResponses.write(
                                        request, response, 401, "Unauthenticated", "log in first"),
                                PathPatternRequestMatcher.withDefaults().matcher("/api/**"))
                        .defaultAccessDeniedHandlerFor(
                                (request, response, denied) -> ProblemResponses.write(
                                        request,
                                        response,
                                        HttpServletResponse.SC_FORBIDDEN,
                                        "Forbidden",
                                        "this needs the OPERATOR role, or the CSRF token is missing"),
                                PathPatternRequestMatcher.withDefaults().matcher("/api/**")));
        return http.build();
    }

    /**
     * No Micrometer observation around each security filter. Spring Security would otherwise wrap every filter of
     * every chain in one (about 10 per transfer request); the management property that switches them off only makes
     * them no-ops, still created and wrapped on each request.
     */
    @Bean
    SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    /** Before security and everything else: no request body beyond the limit is read (413). */
    @Bean
    FilterRegistrationBean<BodySizeLimit> bodySizeLimit(SecurityProperties security) {
        FilterRegistrationBean<BodySizeLimit> registration =
                new FilterRegistrationBean<>(new BodySizeLimit(security.limits().maxBodyBytes()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /**
     * The operators' passwords are hashed only to be compared with a login's: the hashes live in this process's memory
     * beside the configured passwords themselves and are never stored. A slow hash guards stored hashes against
     * offline guessing, so here it buys nothing and costs: at bcrypt's default cost each operator took ~0.1 s of CPU
     * at every start and at every login on the 2-core machine (src-docs/startup.md). bcrypt at its lowest cost keeps
     * the comparison a library's, in constant time.
     */
    @Bean
    PasswordEncoder operatorPasswords() {
        return new BCryptPasswordEncoder(4);
    }

    @Bean
    UserDetailsService operators(Secrets secrets, PasswordEncoder encoder) {
        List<UserDetails> users = secrets.operators().entrySet().stream()
                .map(entry -> User.withUsername(entry.getKey())
                        .password(encoder.encode(entry.getValue().password()))
                        .roles(entry.getValue().role().name())
                        .build())
                .toList();
        return new InMemoryUserDetailsManager(users);
    }
}
