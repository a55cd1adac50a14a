package dev.twophase.web;

import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** A request field that is missing or malformed: 400 problem+json naming the field; nothing was changed. */
public class InvalidField extends ErrorResponseException {

    public InvalidField(String field, String message) {
        super(HttpStatus.BAD_REQUEST);
        getBody().setTitle("Invalid request field");
        getBody().setDetail(field + " " + message);
        getBody().setProperties(Map.of("field", field));
    }
}
