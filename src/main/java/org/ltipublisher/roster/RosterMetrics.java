package org.ltipublisher.roster;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;

/** Sync runs by kind and result with their duration; members added and removed by the member sync. */
@ApplicationScoped
public class RosterMetrics {

    private final MeterRegistry registry;

    public RosterMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void run(String kind, String result, Duration took) {
        registry.timer("lti.sync.runs", "kind", kind, "result", result).record(took);
    }

    public void membersAdded(int n) {
        registry.counter("lti.roster.members.added").increment(n);
    }

    public void membersRemoved(int n) {
        registry.counter("lti.roster.members.removed").increment(n);
    }
}
