package org.ltipublisher.web;

/**
 * A request refused for a reason a person can act on. {@code code} is stable (logs, metrics, JSON),
 * {@code message} names the offending value and what to check.
 */
public class Rejection extends RuntimeException {

    private final int status;
    private final String code;
    private String actionLabel;
    private String actionUrl;
    private java.time.Duration retryAfter;

    public Rejection(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    /**
     * Something the person can do about it, shown on the HTML page as a button opening {@code url} in a new
     * window (e.g. "Open in a new window" when cookies are blocked in the LMS frame). Ignored when url is null.
     */
    public Rejection withAction(String label, String url) {
        this.actionLabel = label;
        this.actionUrl = url;
        return this;
    }

    /** Sent as Retry-After (RFC 9110 §10.2.3), e.g. with 429 while sign-ins are throttled. */
    public Rejection withRetryAfter(java.time.Duration delay) {
        this.retryAfter = delay;
        return this;
    }

    public java.time.Duration retryAfter() {
        return retryAfter;
    }

    public String actionLabel() {
        return actionUrl == null ? null : actionLabel;
    }

    public String actionUrl() {
        return actionUrl;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public static Rejection badRequest(String code, String message) {
        return new Rejection(400, code, message);
    }

    public static Rejection notFound(String code, String message) {
        return new Rejection(404, code, message);
    }

    public static Rejection conflict(String code, String message) {
        return new Rejection(409, code, message);
    }

    public static Rejection unprocessable(String code, String message) {
        return new Rejection(422, code, message);
    }

    public static Rejection forbidden(String code, String message) {
        return new Rejection(403, code, message);
    }

    public static Rejection unauthorized(String code, String message) {
        return new Rejection(401, code, message);
    }
}
