package org.ltipublisher.web;

import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The request-size limits ({@code quarkus.http.limits.max-initial-line-length}, {@code max-header-size},
 * {@code max-body-size}), answered with the tool's own page, a log line and a count in
 * {@code lti.http.request.too.large} instead of Vert.x's empty 414/431/413.
 * <p>
 * Vert.x refuses an over-long request line or header block in its codec, before any route or log sees the
 * request, and Quarkus offers no hook there. So the codec limits are raised to {@value #CODEC_HEADROOM} times
 * the configured ones and the configured limits are enforced here, first on the router; only a request beyond
 * that headroom still gets Vert.x's bare answer.
 */
@ApplicationScoped
public class RequestSizeLimits implements HttpServerOptionsCustomizer {

    private static final Logger LOG = Logger.getLogger(RequestSizeLimits.class);
    static final int CODEC_HEADROOM = 4;
    /** "GET " … " HTTP/1.1": what the request line adds to the URI, as the codec counts it (RFC 9112 §3). */
    private static final int REQUEST_LINE_OVERHEAD = 10;

    private final int maxRequestLine;
    private final long maxHeaders;
    private final Optional<MemorySize> maxBody;
    private final MeterRegistry metrics;
    private final HttpLayerFailures pages;

    public RequestSizeLimits(
            @ConfigProperty(name = "quarkus.http.limits.max-initial-line-length", defaultValue = "4096") int maxRequestLine,
            @ConfigProperty(name = "quarkus.http.limits.max-header-size", defaultValue = "20K") MemorySize maxHeaders,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> maxBody,
            MeterRegistry metrics, HttpLayerFailures pages) {
        this.maxRequestLine = maxRequestLine;
        this.maxHeaders = maxHeaders.asLongValue();
        this.maxBody = maxBody;
        this.metrics = metrics;
        this.pages = pages;
    }

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        raiseCodecLimits(options);
    }

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        raiseCodecLimits(options);
    }

    private void raiseCodecLimits(HttpServerOptions options) {
        options.setMaxInitialLineLength(Math.max(options.getMaxInitialLineLength(), maxRequestLine * CODEC_HEADROOM));
        options.setMaxHeaderSize((int) Math.min(Integer.MAX_VALUE,
                Math.max(options.getMaxHeaderSize(), maxHeaders * CODEC_HEADROOM)));
    }

    /** Before Quarkus' own body-size check (order -2) and every other route. */
    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::check).failureHandler(this::failed);
    }

    /** A size limit hit while the body was read (a chunked body, a form field): same page, log and count. */
    void failed(RoutingContext context) {
        int status = context.statusCode();
        if (context.response().headWritten() || context.response().ended()
                || (status != 413 && status != 414 && status != 431)) {
            context.next();
            return;
        }
        if (status == 413) {
            pages.render(context, refusedWhileReading(context.normalizedPath()));
            return;
        }
        String limit = status == 414 ? "url" : "headers";
        Rejection rejection = new Rejection(status, limit + "_too_large", "This request is larger than the tool "
                + "accepts (quarkus.http.limits.*); ask the tool's administrator to raise the limit.");
        metrics.counter("lti.http.request.too.large", "limit", limit).increment();
        LOG.infof("rejected path=%s status=%d reason=%s", LogRedaction.url(context.normalizedPath()), status,
                rejection.code());
        pages.render(context, rejection);
    }

    void check(RoutingContext context) {
        HttpServerRequest request = context.request();
        int requestLine = request.method().name().length() + request.uri().length() + REQUEST_LINE_OVERHEAD;
        if (requestLine > maxRequestLine) {
            refuse(context, new Rejection(414, "url_too_long", "The address of this request is " + requestLine
                    + " bytes long; the tool accepts at most " + maxRequestLine + " (quarkus.http.limits."
                    + "max-initial-line-length). If the course platform sent this link, ask the tool's administrator "
                    + "to raise that limit; if you typed or pasted it, check that it was not copied twice."),
                    "url", requestLine, maxRequestLine);
            return;
        }
        long headers = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            headers += header.getKey().length() + 2 + header.getValue().length();
        }
        if (headers > maxHeaders) {
            refuse(context, new Rejection(431, "headers_too_large", "The headers of this request take " + headers
                    + " bytes; the tool accepts at most " + maxHeaders + " (quarkus.http.limits.max-header-size). "
                    + "This is usually too many or too large cookies for the tool's address: clear the cookies of "
                    + "this site in the browser and start again from the course."), "headers", headers, maxHeaders);
            return;
        }
        String length = request.getHeader("Content-Length");
        if (maxBody.isPresent() && length != null) {
            long declared = parse(length);
            long limit = maxBody.get().asLongValue();
            if (declared > limit) {
                refuse(context, tooLargeBody(declared, limit), "body", declared, limit);
                return;
            }
        }
        context.next();
    }

    /** A body or form field found too large while it was read: counted and logged, the 413 to answer. */
    Rejection refusedWhileReading(String path) {
        Rejection rejection = tooLargeBody(-1, maxBodyBytes());
        metrics.counter("lti.http.request.too.large", "limit", "body").increment();
        LOG.infof("rejected path=%s status=413 reason=%s", LogRedaction.url(path), rejection.code());
        return rejection;
    }

    /** The 413 page for a body refused here or, while being read, by Quarkus (see {@link HttpLayerFailures}). */
    Rejection tooLargeBody(long size, long limit) {
        return new Rejection(413, "body_too_large", "The body of this request"
                + (size > 0 ? " is " + size + " bytes;" : " or one of its form fields is too large;")
                + " the tool accepts at most " + (limit > 0 ? limit + " bytes" : "less")
                + " (quarkus.http.limits.max-body-size; max-form-attribute-size for one form field). Send a smaller file or form, or ask the tool's "
                + "administrator to raise that limit.");
    }

    long maxBodyBytes() {
        return maxBody.map(MemorySize::asLongValue).orElse(-1L);
    }

    private void refuse(RoutingContext context, Rejection rejection, String limit, long size, long max) {
        metrics.counter("lti.http.request.too.large", "limit", limit).increment();
        LOG.infof("rejected path=%s status=%d reason=%s size=%d limit=%d", LogRedaction.url(context.normalizedPath()),
                rejection.status(), rejection.code(), size, max);
        // the request is not read any further: the connection cannot be reused for the next request
        context.response().putHeader("Connection", "close");
        pages.render(context, rejection);
    }

    private static long parse(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
