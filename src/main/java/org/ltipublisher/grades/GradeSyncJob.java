package org.ltipublisher.grades;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.platform.SyncJob;
import org.ltipublisher.platform.SyncKind;
import org.ltipublisher.platform.SyncSchedules;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;

/** Every replica's grade sync tick (Moodle: every 30 minutes per resource with grade sync on). */
@ApplicationScoped
public class GradeSyncJob {

    private final SyncSchedules schedules;
    private final GradeSync sync;
    private final GradesConfig config;
    private final MeterRegistry registry;
    private final Clock clock;
    private final String owner = ManagementFactory.getRuntimeMXBean().getName() + "/grades/"
            + UUID.randomUUID().toString().substring(0, 8);

    public GradeSyncJob(SyncSchedules schedules, GradeSync sync, GradesConfig config, MeterRegistry registry,
            Clock clock) {
        this.schedules = schedules;
        this.sync = sync;
        this.config = config;
        this.registry = registry;
        this.clock = clock;
    }

    @Scheduled(identity = "grade-sync", every = "${lti.sync.tick:1m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        SyncJob.drain(schedules, SyncKind.GRADES, owner, config.syncInterval(), sync::run,
                (result, took) -> registry.timer("lti.sync.runs", "kind", "grades", "result", result.toLowerCase())
                        .record(took), clock);
    }
}
