package org.ltipublisher.roster;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.platform.SyncJob;
import org.ltipublisher.platform.SyncKind;
import org.ltipublisher.platform.SyncSchedules;

import io.quarkus.scheduler.Scheduled;

/** Every replica's member sync tick (Moodle: every 30 minutes per resource with member sync on). */
@ApplicationScoped
public class MemberSyncJob {

    private final SyncSchedules schedules;
    private final MemberSync sync;
    private final RosterConfig config;
    private final RosterMetrics metrics;
    private final Clock clock;
    private final String owner = ManagementFactory.getRuntimeMXBean().getName() + "/members/"
            + UUID.randomUUID().toString().substring(0, 8);

    public MemberSyncJob(SyncSchedules schedules, MemberSync sync, RosterConfig config, RosterMetrics metrics,
            Clock clock) {
        this.schedules = schedules;
        this.sync = sync;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Scheduled(identity = "member-sync", every = "${lti.sync.tick:1m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        SyncJob.drain(schedules, SyncKind.MEMBERS, owner, config.syncInterval(), sync::run,
                (result, took) -> metrics.run("members", result.toLowerCase(), took), clock);
    }
}
