package org.ltipublisher.web;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * Every exception of a JAX-RS request that no more specific mapper answers (a {@link Rejection}, the security
 * layer's 401/403): the tool's page or JSON through {@link UnexpectedFailures}, never the framework's bare page.
 */
public class FailureMapper {

    private final RequestSizeLimits limits;

    public FailureMapper(RequestSizeLimits limits) {
        this.limits = limits;
    }

    @ServerExceptionMapper
    public Response map(Throwable failure, ContainerRequestContext request, HttpHeaders headers) {
        if (failure instanceof WebApplicationException web && web.getResponse().getStatus() == 413) {
            // a form field over max-form-attribute-size, found while RESTEasy read the form
            return RejectionMapper.render(limits.refusedWhileReading(request.getUriInfo().getPath()),
                    request.getUriInfo().getPath(), headers.getAcceptableMediaTypes());
        }
        if (failure instanceof WebApplicationException web && web.getResponse().getStatus() < 500
                && UnexpectedFailures.classify(web) == null) {
            // the framework's own answer (404, 405, 415, …): it is already the right one
            return web.getResponse();
        }
        String path = request.getUriInfo().getPath();
        Rejection rejection = UnexpectedFailures.explain(failure, request.getMethod(), path, traceId(request));
        Response response = RejectionMapper.render(rejection, path, headers.getAcceptableMediaTypes());
        return rejection.status() == 503
                ? Response.fromResponse(response).header("Retry-After", UnexpectedFailures.RETRY_AFTER_SECONDS).build()
                : response;
    }

    /** Takes precedence over the built-in mapper, which answers a bare description of the Java type. */
    @ServerExceptionMapper
    public Response mapMismatchedJson(MismatchedInputException failure, ContainerRequestContext request,
            HttpHeaders headers) {
        return map(failure, request, headers);
    }

    private static String traceId(ContainerRequestContext request) {
        Object traceId = request.getProperty(TraceIdFilter.MDC_KEY);
        if (traceId == null) {
            traceId = MDC.get(TraceIdFilter.MDC_KEY);
        }
        return traceId != null ? traceId.toString()
                : TraceIdFilter.traceId(request.getHeaderString("traceparent"), request.getHeaderString(TraceIdFilter.HEADER));
    }
}
