package org.ltipublisher.platform;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;

/** Access token requests by result. */
@ApplicationScoped
public class PlatformMetrics {

    private final MeterRegistry registry;

    public PlatformMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void tokenRequest(String result) {
        registry.counter("lti.platform.token.requests", "result", result).increment();
    }
}
