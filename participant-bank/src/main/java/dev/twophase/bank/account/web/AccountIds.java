package dev.twophase.bank.account.web;

import dev.twophase.web.InvalidField;
import java.util.regex.Pattern;

/** The shape of an account id: letters, digits, '.', '_' and '-', 1 to 64 characters. */
final class AccountIds {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private AccountIds() {}

    static String require(String field, String id) {
        if (id == null || id.isBlank()) {
            throw new InvalidField(field, "is required");
        }
        if (!ID.matcher(id).matches()) {
            throw new InvalidField(field, "must be 1-64 letters, digits, '.', '_' or '-'");
        }
        return id;
    }
}
