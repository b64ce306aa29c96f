package org.ltipublisher.launch;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** Launch counters by outcome and reason code, latency, and platform JWKS traffic. */
@ApplicationScoped
public class LaunchMetrics {

    private final MeterRegistry registry;
    private final Timer launchTimer;

    public LaunchMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.launchTimer = Timer.builder("lti.launch.duration").description("Launch handling time")
                .publishPercentileHistogram().register(registry);
    }

    public void loginStarted() {
        registry.counter("lti.login", "outcome", "redirected", "reason", "none").increment();
    }

    public void loginRejected(String reason) {
        registry.counter("lti.login", "outcome", "rejected", "reason", reason).increment();
    }

    public void launchSucceeded(String result, Duration took) {
        registry.counter("lti.launch", "outcome", result, "reason", "none").increment();
        launchTimer.record(took);
    }

    public void launchRejected(String reason, Duration took) {
        registry.counter("lti.launch", "outcome", "rejected", "reason", reason).increment();
        launchTimer.record(took);
    }

    public void jwksFetched(boolean ok) {
        registry.counter("lti.platform.jwks.fetch", "result", ok ? "ok" : "failed").increment();
    }

    /** A conditional refetch answered 304: the cached keys stay. */
    public void jwksRevalidated() {
        registry.counter("lti.platform.jwks.fetch", "result", "not_modified").increment();
    }

    public void jwksCacheHit() {
        registry.counter("lti.platform.jwks.cache.hit").increment();
    }
}
