package dev.twophase.coordinator.reconciliation.web;

import dev.twophase.coordinator.config.CoordinatorProperties;
import dev.twophase.coordinator.reconciliation.Reconciler;
import dev.twophase.coordinator.reconciliation.ReconciliationProperties;
import dev.twophase.coordinator.reconciliation.ReconciliationReport;
import dev.twophase.coordinator.reconciliation.WindowTooLarge;
import dev.twophase.web.InvalidField;
import dev.twophase.web.RequestInstants;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/ops/reconciliation?from=…&to=…} (operators, any role): compares the transactions begun in
 * {@code [from, to)} with every bank now; without {@code from} and {@code to}, the last report (204 before the first).
 * The window must lie within retention (older transactions may be gone on either side) and be at most
 * {@code twophase.reconciliation.max-window} long.
 */
@RestController
@Tag(name = "Operations")
class ReconciliationController {

    private final Reconciler reconciler;
    private final Duration retention;
    private final Duration maxWindow;
    private final Clock clock;

    ReconciliationController(
            Reconciler reconciler,
            ReconciliationProperties properties,
            CoordinatorProperties coordinator,
            Clock clock) {
        this.reconciler = reconciler;
        this.retention = coordinator.retention().period();
        this.maxWindow = properties.maxWindow();
        this.clock = clock;
    }

    @GetMapping("/api/ops/reconciliation")
    @Operation(summary = "Compare the coordinator's books with each bank's over a window, or show the last comparison")
    ResponseEntity<ReconciliationReport> reconciliation(
            @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        if (from == null && to == null) {
            return reconciler.last().map(ResponseEntity::ok).orElseGet(() -> ResponseEntity.noContent()
                    .build());
        }
        if (from == null || to == null) {
            throw new InvalidField(from == null ? "from" : "to", "from and to go together");
        }
        Instant start = RequestInstants.parse("from", from);
        Instant end = RequestInstants.parse("to", to);
        if (!start.isBefore(end)) {
            throw new InvalidField("to", "must be after from");
        }
        if (Duration.between(start, end).compareTo(maxWindow) > 0) {
            throw new InvalidField("to", "the window may be at most " + maxWindow + " long");
        }
        if (start.isBefore(clock.instant().minus(retention))) {
            throw new InvalidField("from", "must be within the retention period (" + retention + ")");
        }
        try {
            return ResponseEntity.ok(reconciler.reconcile(start, end));
        } catch (WindowTooLarge e) {
            throw new InvalidField("to", e.getMessage());
        }
    }
}
