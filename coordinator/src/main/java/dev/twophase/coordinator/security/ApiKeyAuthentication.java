package dev.twophase.coordinator.security;

import dev.twophase.security.ProtocolSignature;
import dev.twophase.web.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Clients of the transfer API: {@code Authorization: Bearer <api key>} (or {@code X-API-Key: <api key>}). The key is
 * compared with every configured key in constant time, so neither timing nor an early exit tells which one nearly
 * matched. No key or an unknown one: 401, and the request goes no further.
 */
final class ApiKeyAuthentication extends OncePerRequestFilter {

    static final String ROLE = "ROLE_CLIENT";

    private final Map<String, String> keysByClient;

    ApiKeyAuthentication(Map<String, String> keysByClient) {
        this.keysByClient = Map.copyOf(keysByClient);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String presented = presentedKey(request);
        String client = null;
        for (Map.Entry<String, String> entry : keysByClient.entrySet()) {
            // No early exit: every key is compared whatever the outcome.
            if (ProtocolSignature.constantTimeEquals(entry.getValue(), presented) && client == null) {
                client = entry.getKey();
            }
        }
        if (client == null) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"twophase\"");
            ProblemResponses.write(
                    request,
                    response,
                    401,
                    "Unauthenticated",
                    presented == null ? "an API key is required: Authorization: Bearer <key>" : "unknown API key");
            return;
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                client, null, List.of(new SimpleGrantedAuthority(ROLE))));
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    private static String presentedKey(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        return request.getHeader("X-API-Key");
    }
}
