package org.ltipublisher.web;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.MediaType;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Failures that end a request in the HTTP layer before (or outside) JAX-RS, such as a query string Vert.x
 * cannot decode: answered with the same page or JSON as {@link FailureMapper}, instead of Quarkus' bare
 * "Bad Request" or "Internal Server Error". Registered first, so it sees every failure; plain status answers
 * without a cause (404, 405) and authentication failures are left to Quarkus; the size limits (413, 414, 431)
 * to {@link RequestSizeLimits}.
 */
@ApplicationScoped
public class HttpLayerFailures {

    private static final Logger LOG = Logger.getLogger(HttpLayerFailures.class);

    private final ObjectMapper json;

    public HttpLayerFailures(ObjectMapper json) {
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::answer);
    }

    void answer(RoutingContext context) {
        Throwable failure = context.failure();
        int status = context.statusCode();
        if (context.response().headWritten() || context.response().ended()
                || (status > 400 && status < 500) || (failure == null && status < 400) || isSecurity(failure)) {
            context.next();
            return;
        }
        String path = context.normalizedPath();
        String traceId = TraceIdFilter.traceId(context.request().getHeader("traceparent"),
                context.request().getHeader(TraceIdFilter.HEADER));
        Rejection rejection;
        if (status == 400 && (failure == null || UnexpectedFailures.classify(failure) == null)) {
            rejection = Rejection.badRequest("malformed_request", "the request could not be read: check its URL "
                    + "encoding, headers and body");
            LOG.infof("rejected path=%s status=400 reason=malformed_request", LogRedaction.url(path));
        } else {
            rejection = UnexpectedFailures.explain(failure != null ? failure
                    : new IllegalStateException("the HTTP layer failed the request with status " + status),
                    context.request().method().name(), path, traceId);
        }
        render(context, rejection, traceId);
    }

    /** Ends the request with the tool's page (or JSON for an API client) for this rejection. */
    public void render(RoutingContext context, Rejection rejection) {
        render(context, rejection, TraceIdFilter.traceId(context.request().getHeader("traceparent"),
                context.request().getHeader(TraceIdFilter.HEADER)));
    }

    private void render(RoutingContext context, Rejection rejection, String traceId) {
        String path = context.normalizedPath();
        try {
            boolean wantsJson = RejectionMapper.wantsJson(path, acceptable(context));
            String body = wantsJson ? json.writeValueAsString(new ApiError(rejection.code(), rejection.getMessage()))
                    : RejectionMapper.Templates.error(rejection.status(), rejection.code(), rejection.getMessage(),
                            null, null).render();
            var response = context.response().setStatusCode(rejection.status())
                    .putHeader(HttpHeaders.CONTENT_TYPE, wantsJson ? "application/json" : "text/html;charset=UTF-8")
                    .putHeader(TraceIdFilter.HEADER, traceId);
            if (rejection.status() == 503) {
                response.putHeader("Retry-After", String.valueOf(UnexpectedFailures.RETRY_AFTER_SECONDS));
            }
            response.end(body);
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.errorf(e, "cannot render the error page for %s", LogRedaction.url(path));
            context.next();
        }
    }

    /** Authentication and authorization failures have their own handler (401 with WWW-Authenticate, 403). */
    private static boolean isSecurity(Throwable failure) {
        return failure != null && failure.getClass().getName().startsWith("io.quarkus.security.");
    }

    /** The Accept header, best first, as JAX-RS would give it. */
    private static List<MediaType> acceptable(RoutingContext context) {
        return context.parsedHeaders().accept().stream()
                .map(accept -> new MediaType(accept.component(), accept.subComponent()))
                .toList();
    }
}
