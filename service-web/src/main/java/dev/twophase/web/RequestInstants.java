package dev.twophase.web;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Instants in query parameters (windows of time): ISO-8601, or a 400 problem naming the parameter. */
public final class RequestInstants {

    private RequestInstants() {}

    public static Instant parse(String field, String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidField(field, "must be an ISO-8601 instant such as 2026-12-07T10:00:00Z");
        }
    }
}
