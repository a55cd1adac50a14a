package dev.twophase.coordinator.participant;

import dev.twophase.concurrent.BlockingCallExecutors;
import dev.twophase.coordinator.config.CoordinatorProperties;
import dev.twophase.coordinator.config.ProtocolTimer;
import dev.twophase.coordinator.security.ProtocolSigning;
import dev.twophase.coordinator.security.Secrets;
import dev.twophase.protocol.BatchedMessage;
import dev.twophase.protocol.BatchedReply;
import dev.twophase.protocol.Decision;
import dev.twophase.protocol.DecisionAck;
import dev.twophase.protocol.OnePhaseOutcome;
import dev.twophase.protocol.Operation;
import dev.twophase.protocol.PrepareRequest;
import dev.twophase.protocol.ProtocolPaths;
import dev.twophase.protocol.VoteResponse;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Talks the participant protocol to the banks over pooled keep-alive HTTP connections. Under load, messages to the
 * same bank travel together in {@code POST /2pc/batch} requests ({@link MessageBatcher}, sent on HttpClient directly
 * by {@link BatchChannel}); a bank that does not implement batching is sent each message on its own. Transport
 * failures and 5xx answers are retried at once a few times (resilience4j instances {@value #PREPARE} and
 * {@value #DECISION}); what still fails is thrown to the caller, which turns it into a missing vote or a later
 * redelivery.
 */
@Component
public class ParticipantClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ParticipantClient.class);

    static final String PREPARE = "prepare";
    static final String DECISION = "decision";
    /** Most open connections to one bank (and in all): enough for the protocol threads that call at once. */
    private static final int MAX_CONNECTIONS = 256;

    private final Map<String, RestClient> prepareClients;
    private final Map<String, RestClient> decisionClients;
    private final Map<String, MessageBatcher> prepareBatchers;
    private final Map<String, MessageBatcher> decisionBatchers;
    /** Banks that answered 404/405 to a batch: from then on they get one message per request. */
    private final Set<String> unbatched = ConcurrentHashMap.newKeySet();

    private final Retry prepareRetry;
    private final Retry decisionRetry;
    /**
     * One breaker per bank, named after it: once most recent calls to a bank failed, calls fail at once (a prepare
     * becomes a fast PARTICIPANT_UNAVAILABLE, a delivery a fast redelivery later) instead of each waiting out its
     * timeout; after {@code wait-duration-in-open-state} a few trial calls decide whether it closes again.
     */
    private final CircuitBreakerRegistry breakers;

    private final MeterRegistry meters;
    private final Map<String, Timer> latencies = new ConcurrentHashMap<>();
    /**
     * Runs the calls that block: one message per request (a bank that does not batch, a one-phase commit). Its own
     * threads, not the protocol threads: a protocol thread waits for these calls (a redelivery, a one-phase transfer),
     * and on Java 17's bounded pool, waiting for a task queued on that same pool could leave every thread waiting.
     */
    private final ExecutorService executor = BlockingCallExecutors.create("bank-call", 64, 10_000);
    /** Starts the next attempt once a retry's wait is over; a waiting retry holds no thread. */
    private final ScheduledExecutorService retryTimer;

    ParticipantClient(
            RestClient.Builder builder,
            CoordinatorProperties properties,
            RetryRegistry retries,
            CircuitBreakerRegistry breakers,
            MeterRegistry meters,
            Secrets secrets,
            Clock clock,
            JsonMapper json,
            ProtocolTimer protocolTimer) {
        this.breakers = breakers;
        this.retryTimer = protocolTimer.scheduler();
        this.meters = meters;
        CloseableHttpClient http = pooledKeepAliveClient(properties.connectTimeout());
        this.prepareClients =
                clients(builder, properties.participants(), http, properties.prepareTimeout(), secrets, clock);
        this.decisionClients =
                clients(builder, properties.participants(), http, properties.decisionTimeout(), secrets, clock);
        boolean batching = properties.batching().enabled();
        Duration linger = properties.batching().decisionLinger();
        this.decisionBatchers = batching
                ? batchers(
                        properties,
                        "decision",
                        properties.decisionTimeout(),
                        linger,
                        Map.of(),
                        http,
                        secrets,
                        clock,
                        json)
                : Map.of();
        // A bank's waiting decisions ride in the requests that carry its prepares.
        this.prepareBatchers = batching
                ? batchers(
                        properties,
                        "prepare",
                        properties.prepareTimeout(),
                        Duration.ZERO,
                        decisionBatchers,
                        http,
                        secrets,
                        clock,
                        json)
                : Map.of();
        this.prepareRetry = retries.retry(PREPARE);
        this.decisionRetry = retries.retry(DECISION);
    }

    /** The configured bank ids. */
    public Set<String> banks() {
        return prepareClients.keySet();
    }

    /** The circuit breaker in front of {@code bank}; its state is on the dashboard. */
    public CircuitBreaker breaker(String bank) {
        return breakers.circuitBreaker(bank);
    }

    /** Latency of each {@code message} ("prepare", "decision", "one-phase") sent to {@code bank}, on this side. */
    public Timer latency(String bank, String message) {
        return latencies.computeIfAbsent(bank + "/" + message, key -> Timer.builder("twophase.participant.requests")
                .description("one protocol message to a bank, from sending to its answer (or failure)")
                .tag("bank", bank)
                .tag("message", message)
                .publishPercentiles(0.5, 0.99)
                .publishPercentileHistogram()
                .register(meters));
    }

    /** Phase 1. @throws org.springframework.web.client.RestClientException if the bank gave no vote */
    public VoteResponse prepare(String bank, String txId, List<Operation> operations) {
        return await(prepareAsync(bank, txId, operations));
    }

    /**
     * Phase 1 without a thread waiting for the answer: the future completes with the vote, or with what {@link
     * #prepare} would have thrown. Sending it only queues the message for its bank.
     */
    public CompletableFuture<VoteResponse> prepareAsync(String bank, String txId, List<Operation> operations) {
        RestClient client = clientFor(prepareClients, bank);
        return withRetries(
                prepareRetry,
                () -> guarded(
                        bank,
                        PREPARE,
                        () -> viaBatchOr(
                                prepareBatchers,
                                bank,
                                BatchedMessage.prepare(txId, operations),
                                () -> client.post()
                                        .uri(ProtocolPaths.PREPARE, txId)
                                        .body(new PrepareRequest(operations))
                                        .retrieve()
                                        .body(VoteResponse.class),
                                BatchedReply::asVote)));
    }

    /**
     * One phase: the bank is the only participant and decides. Safe to retry (idempotent by transaction id).
     *
     * @throws org.springframework.web.client.RestClientException if no answer came: the outcome is then unknown
     */
    public OnePhaseOutcome commitOnePhase(String bank, String txId, List<Operation> operations) {
        RestClient client = clientFor(prepareClients, bank);
        return await(withRetries(
                prepareRetry,
                () -> guarded(
                        bank,
                        "one-phase",
                        () -> CompletableFuture.supplyAsync(
                                () -> client.post()
                                        .uri(ProtocolPaths.COMMIT_ONE_PHASE, txId)
                                        .body(new PrepareRequest(operations))
                                        .retrieve()
                                        .body(OnePhaseOutcome.class),
                                executor))));
    }

    /** Phase 2. @throws org.springframework.web.client.RestClientException if the bank did not acknowledge */
    public DecisionAck deliver(String bank, String txId, Decision decision) {
        return await(deliverAsync(bank, txId, decision));
    }

    /** Phase 2 without a thread waiting for the acknowledgement; see {@link #prepareAsync}. */
    public CompletableFuture<DecisionAck> deliverAsync(String bank, String txId, Decision decision) {
        RestClient client = clientFor(decisionClients, bank);
        return withRetries(
                decisionRetry,
                () -> guarded(
                        bank,
                        DECISION,
                        () -> viaBatchOr(
                                decisionBatchers,
                                bank,
                                BatchedMessage.decision(txId, decision),
                                () -> client.post()
                                        .uri(ProtocolPaths.phaseTwoPath(decision), txId)
                                        .retrieve()
                                        .body(DecisionAck.class),
                                BatchedReply::asAck)));
    }

    /** Attempts {@code call} until it succeeds or the retry gives up; the waits between attempts hold no thread. */
    private <T> CompletableFuture<T> withRetries(Retry retry, Supplier<CompletableFuture<T>> call) {
        return retry.executeCompletionStage(retryTimer, call::get).toCompletableFuture();
    }

    /** One attempt at a call to {@code bank}: through its circuit breaker, timed. */
    private <T> CompletableFuture<T> guarded(String bank, String message, Supplier<CompletableFuture<T>> call) {
        Timer.Sample sample = Timer.start(meters);
        return breaker(bank)
                .executeCompletionStage(call::get)
                .toCompletableFuture()
                .whenComplete((answer, failure) -> sample.stop(latency(bank, message)));
    }

    /**
     * Sends {@code message} in a batch, failing a failed reply with exactly what the single request would have thrown;
     * or sends it alone (a blocking request, on a thread of {@link #executor}) when batching is off or the bank does
     * not implement it.
     */
    private <T> CompletableFuture<T> viaBatchOr(
            Map<String, MessageBatcher> batchers,
            String bank,
            BatchedMessage message,
            Supplier<T> alone,
            Function<BatchedReply, T> answer) {
        MessageBatcher batcher = batchers.get(bank);
        if (batcher == null || unbatched.contains(bank)) {
            return CompletableFuture.supplyAsync(alone, executor);
        }
        return batcher.send(message)
                .thenApply(reply -> answer.apply(successful(reply)))
                .exceptionallyCompose(failure -> {
                    if (!(unwrapped(failure) instanceof MessageBatcher.BatchingUnsupported)) {
                        return CompletableFuture.failedFuture(unwrapped(failure));
                    }
                    if (unbatched.add(bank)) {
                        log.warn("{} does not accept batched messages; sending it one message per request", bank);
                    }
                    return CompletableFuture.supplyAsync(alone, executor);
                });
    }

    /** Waits for {@code answer}, throwing what made it fail as it is (as the call made on this thread would have). */
    private static <T> T await(CompletableFuture<T> answer) {
        try {
            return answer.join();
        } catch (CompletionException e) {
            if (unwrapped(e) instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** What made a stage fail, without the {@link CompletionException}s around it that passing it along added. */
    public static Throwable unwrapped(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static BatchedReply successful(BatchedReply reply) {
        if (reply.status() == 200) {
            return reply;
        }
        HttpStatusCode status = HttpStatusCode.valueOf(reply.status());
        if (status.is5xxServerError()) {
            throw HttpServerErrorException.create(status, String.valueOf(reply.error()), HttpHeaders.EMPTY, null, null);
        }
        throw HttpClientErrorException.create(status, String.valueOf(reply.error()), HttpHeaders.EMPTY, null, null);
    }

    private static RestClient clientFor(Map<String, RestClient> clients, String bank) {
        RestClient client = clients.get(bank);
        if (client == null) {
            throw new IllegalArgumentException("no participant configured for bank " + bank);
        }
        return client;
    }

    /**
     * One pool of keep-alive connections for all banks, used on the calling thread. Automatic retries are off: which
     * failures are retried is resilience4j's decision, and a retried prepare or decision must go through it. A 3xx is
     * not followed: a bank that redirects a protocol message is misconfigured, and the call fails.
     */
    private static CloseableHttpClient pooledKeepAliveClient(Duration connectTimeout) {
        PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(MAX_CONNECTIONS)
                .setMaxConnPerRoute(MAX_CONNECTIONS)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(connectTimeout))
                        .build())
                .build();
        return HttpClients.custom()
                .setConnectionManager(pool)
                .disableAutomaticRetries()
                .disableCookieManagement()
                // Banks neither compress nor redirect protocol answers: two steps of every call's chain for nothing.
                .disableContentCompression()
                .disableRedirectHandling()
                .build();
    }

    /** One client per bank; every request signed with that bank's protocol secret. */
    private static Map<String, RestClient> clients(
            RestClient.Builder builder,
            Map<String, URI> banks,
            CloseableHttpClient http,
            Duration readTimeout,
            Secrets secrets,
            Clock clock) {
        HttpComponentsClientHttpRequestFactory requests = new HttpComponentsClientHttpRequestFactory(http);
        requests.setReadTimeout(readTimeout);
        return banks.entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, bank -> builder.clone()
                .baseUrl(bank.getValue().toString())
                .requestFactory(requests)
                .requestInterceptor(
                        new ProtocolSigning(secrets.protocolSecrets().get(bank.getKey()), clock))
                .build()));
    }

    /**
     * One batcher per bank for one kind of message, each sending on its own {@link BatchChannel}; its requests also
     * carry what waits in that bank's batcher among {@code riders}.
     */
    private static Map<String, MessageBatcher> batchers(
            CoordinatorProperties properties,
            String kind,
            Duration responseTimeout,
            Duration linger,
            Map<String, MessageBatcher> riders,
            CloseableHttpClient http,
            Secrets secrets,
            Clock clock,
            JsonMapper json) {
        CoordinatorProperties.Batching batching = properties.batching();
        return properties.participants().entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(
                        Map.Entry::getKey,
                        bank -> new MessageBatcher(
                                bank.getKey(),
                                kind,
                                new BatchChannel(
                                        bank.getKey(),
                                        bank.getValue(),
                                        secrets.protocolSecrets().get(bank.getKey()),
                                        clock,
                                        http,
                                        responseTimeout,
                                        json),
                                batching.maxMessages(),
                                batching.maxInFlight(),
                                linger,
                                riders.get(bank.getKey()))));
    }

    @Override
    public void close() {
        executor.shutdownNow();
        prepareBatchers.values().forEach(MessageBatcher::close);
        decisionBatchers.values().forEach(MessageBatcher::close);
    }
}
