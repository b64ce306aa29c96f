package org.ltipublisher.platform;

import java.time.Duration;
import java.util.Optional;

import org.ltipublisher.outbound.OutboundFailure;

/**
 * A platform call that did not succeed: {@code status} 0 for a network failure or timeout.
 * {@code retryable} says whether trying later can help (429, 5xx, timeouts); otherwise the platform
 * refused this request for good and {@code message} carries its reason.
 */
public class PlatformCallFailure extends RuntimeException {

    private final int status;
    private final boolean retryable;
    private final Duration retryAfter;

    public PlatformCallFailure(int status, boolean retryable, Duration retryAfter, String message) {
        super(message, null, false, false);
        this.status = status;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    public boolean retryable() {
        return retryable;
    }

    /** The platform's Retry-After, when it sent one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** How an HTTP answer other than 2xx is classified (AGS §3.4; RFC 9110 §15.5.14, §15.6). */
    public static PlatformCallFailure of(int status, Duration retryAfter, String what, String body) {
        boolean retryable = status == 408 || status == 425 || status == 429 || status >= 500;
        String reason = body == null || body.isBlank() ? "" : ": " + abbreviate(body.strip(), 500);
        return new PlatformCallFailure(status, retryable, retryAfter, what + " answered HTTP " + status + reason);
    }

    /** A call that got no HTTP answer (timeout, unreachable, refused by the address policy, too large). */
    public static PlatformCallFailure of(OutboundFailure failure) {
        return new PlatformCallFailure(0, failure.retryable(), null, failure.getMessage());
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }
}
