package org.ltipublisher.web;

/**
 * A request refused for a reason a person can act on. {@code code} is stable (logs, metrics, JSON),
 * {@code message} names the offending value and what to check.
 */
public class Rejection extends RuntimeException {

    private final int status;
    private final String code;

    public Rejection(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
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
