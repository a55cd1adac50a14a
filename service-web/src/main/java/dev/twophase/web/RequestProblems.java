package dev.twophase.web;

import java.util.List;
import java.util.Map;
import org.springframework.beans.TypeMismatchException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Every request Spring MVC cannot read becomes an RFC 9457 problem that names the field: malformed JSON ({@code
 * body}), a value of the wrong type (its field), a wrong content type ({@code Content-Type}). Replaces Spring Boot's
 * default problem handler, whose answers name no field.
 */
@RestControllerAdvice
public class RequestProblems extends ResponseEntityExceptionHandler {

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String field = "body";
        String detail = "body is not valid JSON for this request";
        if (ex.getMostSpecificCause() instanceof UnrecognizedPropertyException unknown) {
            field = unknown.getPropertyName();
            detail = field + " is not a field of this request";
        } else if (ex.getMostSpecificCause() instanceof JacksonException json) {
            List<JacksonException.Reference> path = json.getPath();
            if (!path.isEmpty()) {
                field = fieldOf(path);
                detail = field + " has the wrong type (strings for ids and amounts, e.g. \"25.00\")";
            } else if (ex.getMessage() != null && ex.getMessage().startsWith("Required request body is missing")) {
                detail = "body is required";
            }
        }
        return problem(HttpStatus.BAD_REQUEST, "Invalid request field", detail, field, headers);
    }

    /** The field a JSON path leads to, as a client names it: {@code legs[2].amount}. */
    static String fieldOf(List<JacksonException.Reference> path) {
        StringBuilder field = new StringBuilder();
        for (JacksonException.Reference step : path) {
            if (step.getPropertyName() != null) {
                field.append(field.isEmpty() ? "" : ".").append(step.getPropertyName());
            } else if (step.getIndex() >= 0) {
                field.append('[').append(step.getIndex()).append(']');
            }
        }
        return field.isEmpty() ? "body" : field.toString();
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(
            MissingServletRequestParameterException ex,
            HttpHeaders headers,
            HttpStatusCode status,
            WebRequest request) {
        return problem(
                HttpStatus.BAD_REQUEST,
                "Invalid request field",
                ex.getParameterName() + " is required",
                ex.getParameterName(),
                headers);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(
            TypeMismatchException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String field = ex.getPropertyName() == null ? "request" : ex.getPropertyName();
        return problem(
                HttpStatus.BAD_REQUEST,
                "Invalid request field",
                field + " has the wrong type (\"" + ex.getValue() + "\")",
                field,
                headers);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(
            HttpMediaTypeNotSupportedException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return problem(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "Unsupported media type",
                "Content-Type must be application/json",
                "Content-Type",
                headers);
    }

    /**
     * The service's database cannot be reached (PostgreSQL stopped or restarting, the pool's wait for a connection
     * over): nothing this request asked for was done, or its outcome is not known yet; retrying later is safe (a
     * transfer: with the same Idempotency-Key). Never a 500 with a stack trace, never a hang past the pool's timeout.
     */
    @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessException.class})
    ResponseEntity<Object> storeUnavailable(DataAccessException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.SERVICE_UNAVAILABLE,
                "the service's database cannot be reached right now; nothing was changed by this request that is not"
                        + " recorded, so retrying it later is safe (a transfer: with the same Idempotency-Key)");
        problem.setTitle("Store unavailable");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .body(problem);
    }

    private static ResponseEntity<Object> problem(
            HttpStatus status, String title, String detail, String field, HttpHeaders headers) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setProperties(Map.of("field", field));
        return ResponseEntity.status(status).headers(headers).body(problem);
    }
}
