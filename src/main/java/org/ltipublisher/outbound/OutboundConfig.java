package org.ltipublisher.outbound;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Everything the tool sends to platforms ({@code lti.outbound.*}); the per-purpose deadlines stay with their features. */
@ConfigMapping(prefix = "lti.outbound")
public interface OutboundConfig {

    /**
     * Allow http:// platform URLs (development and tests only). Set in application.properties from
     * {@code lti.registration.allow-http}, so the older key and LTI_REGISTRATION_ALLOW_HTTP keep working.
     */
    boolean allowHttp();

    /**
     * Networks (CIDR) exempt from the address policy, e.g. {@code 10.20.0.0/16} for an LMS on the same private
     * network. Empty by default; dev mode and tests exempt exactly 127.0.0.1/32 and ::1/128 for their simulators.
     */
    Optional<List<String>> allowedNetworks();

    /** Time to set up the TCP and TLS connection. */
    @WithDefault("5s")
    Duration connectTimeout();

    /** Total deadline of one call (connect, send, wait, whole answer) when the caller names none. */
    @WithDefault("10s")
    Duration callTimeout();

    /** Largest answer read when the caller names no smaller cap. */
    @WithDefault("1048576")
    int maxAnswerBytes();

    /** Redirects followed, and only to the same origin (scheme, host, port). */
    @WithDefault("3")
    int maxRedirects();

    /** Sent on every call; Canvas rejects calls without a User-Agent. */
    @WithDefault("LTI-Publisher/1.0")
    String userAgent();
}
