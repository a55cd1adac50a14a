package dev.twophase.bank.security;

import dev.twophase.security.ProtocolSignature;
import dev.twophase.security.SignatureVerifier;
import dev.twophase.web.BodySizeLimit;
import java.time.Clock;
import java.util.Map;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Puts {@link ProtocolAuthentication} in front of the participant protocol. */
@Configuration(proxyBeanMethods = false)
class BankSecurityConfiguration {

    @Bean
    FilterRegistrationBean<ProtocolAuthentication> protocolAuthentication(
            BankSecrets secrets, BankSecurityProperties security, Clock clock) {
        SignatureVerifier verifier = new SignatureVerifier(
                Map.of(ProtocolSignature.COORDINATOR, secrets.protocolSecret()),
                security.signatureWindow(),
                clock,
                1_000_000);
        FilterRegistrationBean<ProtocolAuthentication> registration = new FilterRegistrationBean<>(
                new ProtocolAuthentication(verifier, secrets.operators(), security.maxBodyBytes()));
        registration.addUrlPatterns("/2pc/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    /** First of all: no request body beyond the limit is read (413). */
    @Bean
    FilterRegistrationBean<BodySizeLimit> bodySizeLimit(BankSecurityProperties security) {
        FilterRegistrationBean<BodySizeLimit> registration =
                new FilterRegistrationBean<>(new BodySizeLimit(security.maxBodyBytes()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
