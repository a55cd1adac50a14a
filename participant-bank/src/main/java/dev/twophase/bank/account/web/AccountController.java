package dev.twophase.bank.account.web;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.twophase.bank.account.Account;
import dev.twophase.bank.account.AccountAlreadyExists;
import dev.twophase.bank.account.Accounts;
import dev.twophase.protocol.Money;
import dev.twophase.web.InvalidField;
import java.math.BigDecimal;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/accounts")
class AccountController {

    private final Accounts accounts;

    AccountController(Accounts accounts) {
        this.accounts = accounts;
    }

    @PostMapping
    ResponseEntity<AccountView> open(@RequestBody OpenAccountRequest request) {
        if (request == null) {
            throw new InvalidField("body", "is required");
        }
        InvalidField.rejectUnknown(request.unknownFields(), "id, initialBalance");
        String id = AccountIds.require("id", request.id());
        BigDecimal initial = parseInitialBalance(request.initialBalance());
        Account account = accounts.open(id, initial);
        return ResponseEntity.created(URI.create("/api/accounts/" + id)).body(AccountView.of(account));
    }

    @GetMapping("/{id}")
    ResponseEntity<AccountView> get(@PathVariable String id) {
        return accounts.find(id)
                .map(AccountView::of)
                .map(ResponseEntity::ok)
                .orElseThrow(() -> new AccountNotFound(id));
    }

    @GetMapping
    List<AccountView> all() {
        return accounts.findAll().stream().map(AccountView::of).toList();
    }

    @ExceptionHandler(AccountAlreadyExists.class)
    ProblemDetail alreadyExists(AccountAlreadyExists e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setTitle("Account already exists");
        return problem;
    }

    private static BigDecimal parseInitialBalance(String text) {
        BigDecimal value;
        try {
            value = Money.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidField("initialBalance", e.getMessage());
        }
        if (value.signum() < 0) {
            throw new InvalidField("initialBalance", "must not be negative");
        }
        return value;
    }

    /** The body of POST /api/accounts; {@code unknownFields} collects anything else, to be refused by name. */
    record OpenAccountRequest(String id, String initialBalance, @JsonAnySetter Map<String, Object> unknownFields) {}
}
