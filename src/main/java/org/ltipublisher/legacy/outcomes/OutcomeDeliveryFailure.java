package org.ltipublisher.legacy.outcomes;

/**
 * A Basic Outcomes call that did not succeed. {@code retryable}: the consumer was unreachable, slow or
 * answered 5xx / 429 / 408 (or codeMajor "processing"), so the same call may succeed later; otherwise
 * the consumer refused it (codeMajor failure or unsupported, 4xx, an answer that is no POX) and retrying
 * the same request will not help.
 */
public class OutcomeDeliveryFailure extends RuntimeException {

    private final boolean retryable;
    private final String codeMajor;

    public OutcomeDeliveryFailure(String message, boolean retryable, String codeMajor) {
        super(message, null, false, false);
        this.retryable = retryable;
        this.codeMajor = codeMajor;
    }

    public boolean retryable() {
        return retryable;
    }

    /** The consumer's imsx_codeMajor, when it answered with one. */
    public String codeMajor() {
        return codeMajor;
    }
}
