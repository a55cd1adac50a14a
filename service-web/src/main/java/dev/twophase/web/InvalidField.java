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

    /**
     * Refuses a body that held fields its request does not have (collected by {@code @JsonAnySetter}), naming the
     * first in alphabetical order; {@code known} lists the fields there are, for the message.
     */
    public static void rejectUnknown(Map<String, Object> unknownFields, String known) {
        if (unknownFields != null && !unknownFields.isEmpty()) {
            String field = unknownFields.keySet().stream().sorted().findFirst().orElseThrow();
            throw new InvalidField(field, "is not a field of this request (" + known + ")");
        }
    }
}
