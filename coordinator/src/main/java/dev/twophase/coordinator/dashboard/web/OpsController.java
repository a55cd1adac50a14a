package dev.twophase.coordinator.dashboard.web;

import dev.twophase.coordinator.cluster.ClusterView;
import dev.twophase.coordinator.dashboard.AuditEntry;
import dev.twophase.coordinator.dashboard.AuditLog;
import dev.twophase.coordinator.dashboard.OperatorActions;
import dev.twophase.coordinator.dashboard.Overview;
import dev.twophase.coordinator.dashboard.TransactionHistory;
import dev.twophase.web.InvalidField;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The dashboard's JSON: the live overview, one transaction's timeline, the audit log, and the operator actions. An
 * action answers 200 when done, 409 when refused as unsafe, 502 when a bank could not be reached; the body is the
 * audit entry either way. The actor recorded is the logged-in user (only the OPERATOR role may act).
 */
@RestController
@RequestMapping("/api/ops")
@Tag(name = "Operations", description = "The ops dashboard's data and operator actions")
class OpsController {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int MAX_REASON = 500;

    private final Overview overview;
    private final TransactionHistory history;
    private final OperatorActions actions;
    private final AuditLog audit;
    private final ClusterView cluster;

    OpsController(
            Overview overview,
            TransactionHistory history,
            OperatorActions actions,
            AuditLog audit,
            ClusterView cluster) {
        this.cluster = cluster;
        this.overview = overview;
        this.history = history;
        this.actions = actions;
        this.audit = audit;
    }

    @GetMapping("/overview")
    @Operation(summary = "Counts by state, rates, everything in doubt at the coordinator and at each bank")
    Overview.Snapshot overview() {
        return overview.now();
    }

    @GetMapping("/cluster")
    @Operation(summary = "The coordinator cluster: each node's lease and in-flight transactions, the latest takeovers")
    ClusterView.Snapshot cluster() {
        return cluster.now();
    }

    @GetMapping("/transactions/{txId}")
    @Operation(summary = "One transaction's records at the coordinator and each bank, as a timeline")
    TransactionHistory.View transaction(@PathVariable String txId) {
        return history.of(valid("txId", txId, ID));
    }

    @GetMapping("/audit")
    @Operation(summary = "The latest operator actions, newest first")
    List<AuditEntry> audit(@RequestParam(defaultValue = "50") int limit) {
        if (limit < 1 || limit > 500) {
            throw new InvalidField("limit", "must be 1 to 500");
        }
        return audit.latest(limit);
    }

    /** Who is logged in and what they may do, for the page. */
    @GetMapping("/me")
    @Operation(summary = "The logged-in user and their roles")
    Map<String, Object> me(Authentication user) {
        return Map.of(
                "name",
                user.getName(),
                "roles",
                // Only the roles: Spring Security also lists how the user authenticated (FACTOR_PASSWORD).
                user.getAuthorities().stream()
                        .map(GrantedAuthority::getAuthority)
                        .filter(authority -> authority.startsWith("ROLE_"))
                        .map(role -> role.substring("ROLE_".length()))
                        .sorted()
                        .toList());
    }

    @PostMapping("/transactions/{txId}/retry")
    @Operation(summary = "Deliver a decided transaction's decision now, instead of after its backoff")
    ResponseEntity<AuditEntry> retry(
            @PathVariable String txId, @RequestBody ActionRequest request, Principal operator) {
        return answer(actions.retryDelivery(operator.getName(), valid("txId", txId, ID), reason(request)));
    }

    @PostMapping("/transactions/{txId}/abort")
    @Operation(summary = "Abort a transaction whose votes are still being collected")
    ResponseEntity<AuditEntry> abort(
            @PathVariable String txId, @RequestBody ActionRequest request, Principal operator) {
        return answer(actions.abort(operator.getName(), valid("txId", txId, ID), reason(request)));
    }

    @PostMapping("/transactions/{txId}/heuristic")
    @Operation(summary = "Decide a transaction in doubt at one bank without the coordinator (last resort)")
    ResponseEntity<AuditEntry> heuristic(
            @PathVariable String txId, @RequestBody ActionRequest request, Principal user) {
        String operator = user.getName();
        String reason = reason(request);
        String bank = valid("bankId", request.bankId(), ID);
        if (request.decision() == null) {
            throw new InvalidField("decision", "is required: COMMIT or ABORT");
        }
        return answer(actions.decideHeuristically(operator, valid("txId", txId, ID), bank, request.decision(), reason));
    }

    private static ResponseEntity<AuditEntry> answer(AuditEntry entry) {
        HttpStatus status =
                switch (entry.result()) {
                    case DONE -> HttpStatus.OK;
                    case REFUSED -> HttpStatus.CONFLICT;
                    case FAILED -> HttpStatus.BAD_GATEWAY;
                };
        return ResponseEntity.status(status).body(entry);
    }

    private static String reason(ActionRequest request) {
        if (request == null) {
            throw new InvalidField("body", "is required");
        }
        InvalidField.rejectUnknown(request.unknownFields(), "reason, bankId, decision");
        String reason = request.reason();
        if (reason == null || reason.isBlank() || reason.length() > MAX_REASON) {
            throw new InvalidField("reason", "is required: why, at most " + MAX_REASON + " characters");
        }
        return reason.strip();
    }

    private static String valid(String field, String value, Pattern pattern) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new InvalidField(field, "must match " + pattern.pattern());
        }
        return value;
    }
}
