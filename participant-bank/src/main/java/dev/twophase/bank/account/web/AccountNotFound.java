package dev.twophase.bank.account.web;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** A look-up of an account id this bank does not hold: 404 problem. */
class AccountNotFound extends ErrorResponseException {

    AccountNotFound(String id) {
        super(HttpStatus.NOT_FOUND);
        getBody().setTitle("Account not found");
        getBody().setDetail("no account " + id);
    }
}
