package org.ltipublisher.outbound;

/**
 * A call to a platform that produced no usable HTTP answer. The message is for the operator and the
 * platform administrator; it never carries request headers (bearer tokens, OAuth signatures).
 */
public class OutboundFailure extends RuntimeException {

    /** Why there is no answer. */
    public enum Kind {
        /** The URL cannot be parsed or uses a scheme other than https (http only when allowed). */
        INVALID_URL(false),
        /** The host is, or resolves only to, an address the address policy refuses. */
        REFUSED_ADDRESS(false),
        /** The whole call (including the answer's body) did not finish within its deadline. */
        TIMEOUT(true),
        /** No connection, or the connection broke: refused, reset, unknown host, TLS failure. */
        UNREACHABLE(true),
        /** The answer is larger than the cap. */
        TOO_LARGE(false),
        /** A redirect to another origin, or too many redirects. */
        REDIRECT_REFUSED(false);

        private final boolean retryable;

        Kind(boolean retryable) {
            this.retryable = retryable;
        }
    }

    private final Kind kind;

    public OutboundFailure(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** Whether trying again later can help (a timeout or a network failure; not a policy refusal). */
    public boolean retryable() {
        return kind.retryable;
    }
}
