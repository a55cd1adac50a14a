package dev.twophase.coordinator.security;

import dev.twophase.web.ProblemResponses;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Admission of new transfers, after authentication: each client may start so many a second (resilience4j rate
 * limiter per client; beyond it 429 with Retry-After), and at most so many run at once in all (beyond it 503 with
 * Retry-After). Both answer at once, so an overload becomes fast refusals instead of timeouts and growing queues; a
 * refused transfer was never logged, so nothing happened and a retry is safe.
 */
final class TransferAdmission extends OncePerRequestFilter {

    private final RateLimiterRegistry limiters;
    private final RateLimiterConfig perClient;
    private final Semaphore inFlight;

    TransferAdmission(SecurityProperties.Limits limits) {
        this.perClient = RateLimiterConfig.custom()
                .limitForPeriod(limits.transfersPerSecond())
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(Duration.ZERO)
                .build();
        this.limiters = RateLimiterRegistry.of(perClient);
        this.inFlight = new Semaphore(limits.maxInFlightTransfers());
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication client = SecurityContextHolder.getContext().getAuthentication();
        RateLimiter limiter = limiters.rateLimiter(client == null ? "anonymous" : client.getName(), perClient);
        if (!limiter.acquirePermission()) {
            response.setHeader(HttpHeaders.RETRY_AFTER, "1");
            ProblemResponses.write(
                    request,
                    response,
                    429,
                    "Too many requests",
                    "at most " + perClient.getLimitForPeriod() + " transfers a second per client; retry after 1 s");
            return;
        }
        if (!inFlight.tryAcquire()) {
            response.setHeader(HttpHeaders.RETRY_AFTER, "1");
            ProblemResponses.write(
                    request, response, 503, "Overloaded", "too many transfers in progress; retry after 1 s");
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            inFlight.release();
        }
    }
}
