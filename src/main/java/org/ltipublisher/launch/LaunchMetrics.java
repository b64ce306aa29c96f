package org.ltipublisher.launch;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.admission.LaunchOutcome;
import org.ltipublisher.admission.LaunchTally;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Launch counters by outcome and reason code, latency, and platform JWKS traffic; outcomes and refusals also go
 * to the {@link LaunchTally} the console's dashboard reads across replicas.
 */
@ApplicationScoped
public class LaunchMetrics {

    private final MeterRegistry registry;
    private final Timer launchTimer;
    private final LaunchTally tally;

    public LaunchMetrics(MeterRegistry registry, LaunchTally tally) {
        this.registry = registry;
        this.tally = tally;
        this.launchTimer = Timer.builder("lti.launch.duration").description("Launch handling time")
                .publishPercentileHistogram().register(registry);
    }

    public void loginStarted() {
        registry.counter("lti.login", "outcome", "redirected", "reason", "none").increment();
    }

    public void loginRejected(String reason) {
        registry.counter("lti.login", "outcome", "rejected", "reason", reason).increment();
        tally.refused(reason);
    }

    public void launchSucceeded(LaunchOutcome outcome, Duration took) {
        registry.counter("lti.launch", "outcome", outcome.metricTag(), "reason", "none").increment();
        tally.launched(outcome);
        launchTimer.record(took);
    }

    public void launchRejected(String reason, Duration took) {
        registry.counter("lti.launch", "outcome", "rejected", "reason", reason).increment();
        tally.refused(reason);
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
