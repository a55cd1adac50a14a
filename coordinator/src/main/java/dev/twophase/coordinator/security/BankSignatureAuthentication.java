package dev.twophase.coordinator.security;

import dev.twophase.security.ProtocolSignature;
import dev.twophase.security.SignatureVerifier;
import dev.twophase.web.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Decision inquiries come from banks: each must be signed with that bank's protocol secret ({@link
 * ProtocolSignature}). A valid one authenticates the request as that bank (the principal is the bank id, which the
 * inquiry endpoint uses to answer only about the bank's own transactions); anything else is a 401.
 */
final class BankSignatureAuthentication extends OncePerRequestFilter {

    static final String ROLE = "ROLE_BANK";

    private final SignatureVerifier verifier;

    BankSignatureAuthentication(SignatureVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String query = request.getQueryString();
        SignatureVerifier.Verdict verdict = verifier.verify(
                request::getHeader,
                request.getMethod(),
                request.getRequestURI() + (query == null ? "" : "?" + query),
                request.getInputStream().readNBytes(64 * 1024));
        if (!verdict.accepted()) {
            ProblemResponses.write(request, response, 401, "Unauthenticated protocol message", verdict.rejection());
            return;
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                verdict.keyId(), null, List.of(new SimpleGrantedAuthority(ROLE))));
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }
}
