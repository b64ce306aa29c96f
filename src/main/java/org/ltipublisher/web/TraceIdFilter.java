package org.ltipublisher.web;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Gives every request a trace id (the W3C traceparent's trace id or X-Request-Id when the ingress sent
 * one, else a fresh one), puts it in the logging MDC so every line of the request carries it, and
 * returns it as X-Request-Id so an administrator can quote it.
 */
public class TraceIdFilter {

    static final String MDC_KEY = "traceId";
    static final String HEADER = "X-Request-Id";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    @ServerRequestFilter(preMatching = true)
    public void assign(ContainerRequestContext request) {
        String traceId = traceId(request.getHeaderString("traceparent"), request.getHeaderString(HEADER));
        MDC.put(MDC_KEY, traceId);
        request.setProperty(MDC_KEY, traceId);
    }

    @ServerResponseFilter
    public void echo(ContainerRequestContext request, ContainerResponseContext response) {
        Object traceId = request.getProperty(MDC_KEY);
        if (traceId != null) {
            response.getHeaders().putSingle(HEADER, traceId);
        }
    }

    /** The request's trace id from its headers, or a fresh one (also for failures before this filter ran). */
    static String traceId(String traceparent, String requestId) {
        String traceId = fromTraceparent(traceparent);
        if (traceId == null) {
            traceId = requestId != null && SAFE.matcher(requestId).matches() ? requestId : fresh();
        }
        return traceId;
    }

    /** traceparent = version "-" trace-id (32 hex) "-" parent-id "-" flags (W3C Trace Context §3.2). */
    private static String fromTraceparent(String traceparent) {
        if (traceparent == null) {
            return null;
        }
        String[] parts = traceparent.trim().split("-");
        return parts.length == 4 && parts[1].matches("[0-9a-f]{32}") ? parts[1] : null;
    }

    /** A trace id only correlates log lines; it guards nothing, so a fast non-cryptographic random will do. */
    private static String fresh() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return HexFormat.of().toHexDigits(random.nextLong()) + HexFormat.of().toHexDigits(random.nextLong());
    }
}
