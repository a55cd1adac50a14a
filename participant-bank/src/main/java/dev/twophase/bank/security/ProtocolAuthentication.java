package dev.twophase.bank.security;

import dev.twophase.protocol.ProtocolPaths;
import dev.twophase.security.ProtocolSignature;
import dev.twophase.security.SignatureVerifier;
import dev.twophase.web.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every message that can change something at this bank ({@code POST /2pc/**}) must be signed by the coordinator with
 * the protocol secret ({@link ProtocolSignature}): a forged, altered, stale or replayed one gets 401 and never reaches
 * the participant, so it changes nothing. The one exception is the heuristic decision, which an operator may also
 * order directly with HTTP Basic credentials of this bank (for when the coordinator is gone). Reads stay open.
 */
public final class ProtocolAuthentication extends OncePerRequestFilter {

    /** Request attribute: the operator authenticated by HTTP Basic, for the heuristic endpoint to record. */
    public static final String AUTHENTICATED_OPERATOR = "twophase.authenticated-operator";

    private static final Pattern HEURISTIC = Pattern.compile(ProtocolPaths.HEURISTIC.replace("{txId}", "[^/]+"));

    private final SignatureVerifier verifier;
    private final Map<String, String> operators;

    private final int maxBodyBytes;

    ProtocolAuthentication(SignatureVerifier verifier, Map<String, String> operators, int maxBodyBytes) {
        this.verifier = verifier;
        this.operators = Map.copyOf(operators);
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // Every message that changes something, and the one read that tells who was paid what (reconciliation).
        boolean protocolMessage =
                "POST".equals(request.getMethod()) && request.getRequestURI().startsWith("/2pc/");
        boolean decisions =
                "GET".equals(request.getMethod()) && request.getRequestURI().equals(ProtocolPaths.DECISIONS);
        return !protocolMessage && !decisions;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // Bounded here too: BodySizeLimit leaves form posts to the container, and a form post to /2pc/ must not be read
        // whole into memory just to find that its signature is wrong.
        byte[] body = request.getInputStream().readNBytes(maxBodyBytes + 1);
        if (body.length > maxBodyBytes) {
            ProblemResponses.write(
                    request,
                    response,
                    413,
                    "Request too large",
                    "body is larger than " + maxBodyBytes + " bytes",
                    "body");
            return;
        }
        String operator = HEURISTIC.matcher(request.getRequestURI()).matches() ? operator(request) : null;
        if (operator != null) {
            // The operator who logged in is the one recorded, whatever the body says.
            request.setAttribute(AUTHENTICATED_OPERATOR, operator);
            chain.doFilter(request, response);
            return;
        }
        String query = request.getQueryString();
        SignatureVerifier.Verdict verdict = verifier.verify(
                request::getHeader,
                request.getMethod(),
                request.getRequestURI() + (query == null ? "" : "?" + query),
                body);
        if (!verdict.accepted()) {
            ProblemResponses.write(request, response, 401, "Unauthenticated protocol message", verdict.rejection());
            return;
        }
        chain.doFilter(request, response);
    }

    /**
     * The operator named by HTTP Basic credentials, if the name is configured here and the password matches
     * (compared in constant time); null otherwise.
     */
    private String operator(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(
                    Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String name = decoded.substring(0, colon);
        String password = operators.get(name);
        return ProtocolSignature.constantTimeEquals(password, decoded.substring(colon + 1)) ? name : null;
    }
}
