package org.ltipublisher.web;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.hibernate.exception.JDBCConnectionException;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

/**
 * What the tool answers when something other than a {@link Rejection} ends a request: input the HTTP layer
 * could not read (400, said in the tool's terms), the database out of reach (503 with Retry-After, so clients
 * and ingresses retry instead of users seeing a crash), and anything else, which is a bug (500 with the trace
 * id, logged once with its stack trace). Every answer is the tool's own page or JSON, never the framework's.
 */
public final class UnexpectedFailures {

    private static final Logger LOG = Logger.getLogger(UnexpectedFailures.class);

    /** Seconds a client should wait before retrying while the database is unavailable. */
    public static final int RETRY_AFTER_SECONDS = 5;

    /** PostgreSQL SQLSTATEs meaning "no usable connection" besides class 08 (connection exception). */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300");

    /** Packages of the HTTP layer: an IllegalArgumentException thrown there is a request it could not decode. */
    private static final String[] HTTP_LAYER = { "org.jboss.resteasy.reactive.", "io.vertx.", "io.netty.",
            "io.quarkus.vertx.http." };

    /** RESTEasy Reactive's form parser (FormData) when a form has more fields than it accepts. */
    private static final Pattern FORM_FIELD_LIMIT = Pattern.compile("Param limit of (\\d+) was exceeded");

    private UnexpectedFailures() {
    }

    /** The refusal that answers this failure, logged once here. */
    public static Rejection explain(Throwable failure, String method, String path, String traceId) {
        Rejection rejection = classify(failure);
        if (rejection != null && rejection.status() == 503) {
            // no stack trace: during an outage every request ends here, and the cause is all an operator needs
            LOG.warnf("database unavailable: %s %s answered 503 (%s)", method, LogRedaction.url(path), rootCause(failure));
            return rejection;
        }
        if (rejection != null) {
            LOG.infof("rejected path=%s status=%d reason=%s message=\"%s\"", LogRedaction.url(path), rejection.status(),
                    rejection.code(), rejection.getMessage());
            return rejection;
        }
        LOG.errorf(failure, "unexpected failure of %s %s (traceId=%s)", method, LogRedaction.url(path), traceId);
        return new Rejection(500, "internal_error", "Something went wrong on our side. It has been logged; if it "
                + "keeps happening, give your administrator the trace id " + traceId + ".");
    }

    static Rejection classify(Throwable failure) {
        if (databaseUnavailable(failure)) {
            return new Rejection(503, "database_unavailable", "the service cannot reach its database right now; "
                    + "try again in a few seconds");
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StreamConstraintsException limit) {
                return Rejection.badRequest("malformed_json", "the JSON body exceeds a size limit: "
                        + shortened(limit.getOriginalMessage()));
            }
            if (t instanceof JsonProcessingException json) {
                return Rejection.badRequest("malformed_json", "the body is not the JSON this endpoint expects: "
                        + shortened(json.getOriginalMessage()));
            }
            Matcher fieldLimit = t.getMessage() == null ? null : FORM_FIELD_LIMIT.matcher(t.getMessage());
            if (fieldLimit != null && fieldLimit.matches() && thrownByHttpLayer(t)) {
                return Rejection.badRequest("too_many_form_fields", "the form has more than the " + fieldLimit.group(1)
                        + " fields this tool accepts");
            }
            if (t instanceof IllegalArgumentException && thrownByHttpLayer(t)) {
                return Rejection.badRequest("malformed_encoding", "the request's query or form is not validly "
                        + "%-encoded (RFC 3986 §2.1: % must be followed by two hex digits of UTF-8)");
            }
        }
        return null;
    }

    /** A connection that failed or could not be had from the pool in time, anywhere in the cause chain. */
    static boolean databaseUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof JDBCConnectionException || t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException || t instanceof java.net.ConnectException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("08") || UNAVAILABLE_STATES.contains(state))) {
                    return true;
                }
                // Agroal's pool gives up with a plain SQLException and no SQLSTATE
                String message = sql.getMessage() == null ? "" : sql.getMessage().toLowerCase(Locale.ROOT);
                if (message.contains("acquisition timeout")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean thrownByHttpLayer(Throwable t) {
        StackTraceElement[] stack = t.getStackTrace();
        if (stack.length == 0) {
            return false;
        }
        for (String prefix : HTTP_LAYER) {
            if (stack[0].getClassName().startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static String rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + shortened(root.getMessage());
    }

    /** Parser messages quote the input: keep them short so a hostile body cannot fill the log or the answer. */
    private static String shortened(String message) {
        if (message == null) {
            return "unreadable";
        }
        return message.length() <= 160 ? message : message.substring(0, 160) + "…";
    }
}
