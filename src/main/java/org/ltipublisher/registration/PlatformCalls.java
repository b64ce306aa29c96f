package org.ltipublisher.registration;

import java.net.URI;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.ltipublisher.LtiConfig;
import org.ltipublisher.outbound.AddressPolicy;
import org.ltipublisher.outbound.OutboundFailure;
import org.ltipublisher.outbound.PlatformClient;
import org.ltipublisher.web.Rejection;

import okhttp3.HttpUrl;

/**
 * The calls dynamic registration makes to a platform URL that came from a browser (DR 1.0 §3.3, §3.5),
 * through the tool's one {@link PlatformClient} (https, address policy on the connected address,
 * deadline, size cap, same-origin redirects). The browser learns the same thing whether the address
 * refused the connection, timed out or was filtered: the details go to the log only, so the
 * registration page cannot be used to scan ports.
 */
@ApplicationScoped
public class PlatformCalls {

    private static final Logger LOG = Logger.getLogger(PlatformCalls.class);

    private final LtiConfig config;
    private final PlatformClient client;
    private final AddressPolicy policy;

    public PlatformCalls(LtiConfig config, PlatformClient client, AddressPolicy policy) {
        this.config = config;
        this.client = client;
        this.policy = policy;
    }

    /** A platform answer: status and (capped) body. */
    public record Answer(int status, String body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** Refuses (with {@code status}) a URL the tool must not call; returns it parsed. */
    public URI checkUrl(String what, String url, int status) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new Rejection(status, "invalid_platform_url", what + " is not a valid URL: '" + url + "'");
        }
        if (!uri.isAbsolute() || uri.getHost() == null) {
            throw new Rejection(status, "invalid_platform_url", what + " must be an absolute URL: '" + url + "'");
        }
        String scheme = uri.getScheme().toLowerCase();
        if (!scheme.equals("https") && !(policy.allowsHttp() && scheme.equals("http"))) {
            throw new Rejection(status, "insecure_platform_url", what + " must use https: '" + url + "'");
        }
        HttpUrl parsed = HttpUrl.parse(url.trim());
        if (parsed == null) {
            throw new Rejection(status, "invalid_platform_url", what + " is not a valid URL: '" + url + "'");
        }
        Optional<String> refused = policy.refusalOfHost(parsed.host());
        if (refused.isPresent()) {
            LOG.infof("%s refused: %s", what, refused.get());
            throw new Rejection(status, "local_platform_url", what + " points to a local or private address: '"
                    + url + "'; platforms must be reachable on a public host name");
        }
        return uri;
    }

    public Answer get(String what, URI url, String bearer) {
        return send(what, PlatformClient.Request.get(what, url.toString()), bearer);
    }

    public Answer postJson(String what, URI url, String json, String bearer) {
        return send(what, PlatformClient.Request.post(what, url.toString(), "application/json", json), bearer);
    }

    private Answer send(String what, PlatformClient.Request request, String bearer) {
        PlatformClient.Request call = request.header("Accept", "application/json")
                .deadline(config.registration().fetchTimeout())
                .maxBytes(config.registration().maxResponseBytes());
        if (bearer != null && !bearer.isBlank()) {
            call = call.header("Authorization", "Bearer " + bearer);
        }
        try {
            PlatformClient.Answer answer = client.send(call);
            return new Answer(answer.status(), answer.text());
        } catch (OutboundFailure f) {
            switch (f.kind()) {
                case TOO_LARGE -> throw new Rejection(502, "platform_answer_too_large", f.getMessage());
                case REDIRECT_REFUSED -> throw new Rejection(502, "platform_redirect_refused", f.getMessage());
                case INVALID_URL -> throw new Rejection(502, "invalid_platform_url", f.getMessage());
                default -> {
                    // timeout, refused connection, unknown host, filtered address: one answer for all
                    LOG.infof("dynamic registration: %s", f.getMessage());
                    throw new Rejection(502, "platform_unreachable", what + " at " + request.url()
                            + " cannot be reached; check the URL and that the tool can reach it");
                }
            }
        }
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
