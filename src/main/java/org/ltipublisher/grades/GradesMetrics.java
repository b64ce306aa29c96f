package org.ltipublisher.grades;

import java.time.Duration;
import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.db.JdbcTemplate;
import org.ltipublisher.resources.ResourceKind;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** Scores accepted, sent, retried and failed; outbox depth and the age of its oldest pending score. */
@ApplicationScoped
public class GradesMetrics {

    private final MeterRegistry registry;

    public GradesMetrics(MeterRegistry registry, JdbcTemplate sql) {
        this.registry = registry;
        Gauge.builder("lti.grades.outbox.depth", () -> sql.queryOne(
                "select count(*) as pending from score where status = 'PENDING'", row -> row.getLong("pending")).orElse(0L))
                .description("Scores waiting to be sent").register(registry);
        Gauge.builder("lti.grades.outbox.age.seconds", () -> sql.queryOne(
                "select min(created_at) as oldest from score where status = 'PENDING'", row -> row.getObject("oldest", OffsetDateTime.class))
                .map(oldest -> (double) Duration.between(oldest.toInstant(), java.time.Instant.now()).toSeconds())
                .orElse(0.0))
                .description("Age of the oldest score waiting to be sent").register(registry);
    }

    public void accepted(ResourceKind kind) {
        registry.counter("lti.grades.scores.accepted", "kind", kind.name().toLowerCase()).increment();
    }

    public void sent(Duration latency) {
        registry.counter("lti.grades.scores.sent").increment();
        registry.timer("lti.grades.scores.delivery.latency").record(latency);
    }

    public void retried(int status) {
        registry.counter("lti.grades.scores.retried", "status", Integer.toString(status)).increment();
    }

    public void failed(int status) {
        registry.counter("lti.grades.scores.failed", "status", Integer.toString(status)).increment();
    }
}
