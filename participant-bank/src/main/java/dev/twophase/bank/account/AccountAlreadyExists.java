package dev.twophase.bank.account;

/** Opening an account under an id that is taken. */
public class AccountAlreadyExists extends RuntimeException {

    public AccountAlreadyExists(String id) {
        super("account " + id + " already exists");
    }
}
