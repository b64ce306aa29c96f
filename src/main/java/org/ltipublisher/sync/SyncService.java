package org.ltipublisher.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.ltipublisher.resources.PublishedResource;
import org.ltipublisher.resources.PublishedResourceService;
import org.ltipublisher.web.Rejection;

/** The admin side of the syncs: run now, per-resource interval, last run and next due time. */
@ApplicationScoped
public class SyncService {

    private final SyncScheduleStore schedules;
    private final PublishedResourceService resources;
    private final Instance<SyncWork> works;
    private final SyncTicker ticker;

    public SyncService(SyncScheduleStore schedules, PublishedResourceService resources, Instance<SyncWork> works,
            SyncTicker ticker) {
        this.schedules = schedules;
        this.resources = resources;
        this.works = works;
        this.ticker = ticker;
    }

    /**
     * Makes the sync due at once and tries to claim it on this replica straight away (the row is committed
     * first: the store writes outside any transaction); refused while the sync is off.
     */
    public void requestNow(UUID resourceId, SyncKind kind) {
        PublishedResource resource = resource(resourceId);
        boolean on = kind == SyncKind.GRADES ? resource.gradeSync : resource.memberSync;
        if (!on) {
            throw Rejection.conflict("sync_off", (kind == SyncKind.GRADES ? "grade" : "member")
                    + " sync is off for '" + resource.title + "': turn it on in the resource first");
        }
        schedules.requestNow(resourceId, kind);
        ticker.runSoon(kind);
    }

    /** {@code kind} as in the URL ({@code grades} or {@code members}); {@code minutes} null: the service-wide interval. */
    public List<SyncRunView> setInterval(UUID resourceId, String kind, Integer minutes) {
        resource(resourceId);
        SyncKind syncKind = switch (kind) {
            case "grades" -> SyncKind.GRADES;
            case "members" -> SyncKind.MEMBERS;
            default -> throw Rejection.notFound("unknown_sync", "no sync '" + kind + "': use grades or members");
        };
        if (minutes != null && (minutes < 1 || minutes > 10_080)) {
            throw Rejection.unprocessable("invalid_interval", "intervalMinutes must be between 1 and 10080 (a week), not "
                    + minutes);
        }
        schedules.setInterval(resourceId, syncKind, minutes, interval(syncKind));
        return schedules.status(resourceId);
    }

    public List<SyncRunView> status(UUID resourceId) {
        resource(resourceId);
        return schedules.status(resourceId);
    }

    /** The next due sync runs (grade and member) across resources, soonest first. */
    public List<UpcomingSync> upcoming(int limit) {
        return schedules.upcoming(limit).stream().map(d -> new UpcomingSync(d.resourceId(), title(d.resourceId()),
                d.kind().name().toLowerCase(), d.nextRunAt(), d.runningOn())).toList();
    }

    /** Sync runs that ended with errors since {@code since}, latest first, with their reasons. */
    public List<FailedSyncRun> failedSince(Instant since, int limit) {
        return schedules.failedSince(since, limit).stream().map(f -> new FailedSyncRun(f.resourceId(),
                title(f.resourceId()), f.kind().name().toLowerCase(), f.result(), f.finishedAt(), f.message())).toList();
    }

    private String title(UUID resourceId) {
        return resources.find(resourceId).map(r -> r.title).orElse(resourceId.toString());
    }

    private Duration interval(SyncKind kind) {
        return works.stream().filter(w -> w.kind() == kind).findFirst().map(SyncWork::interval)
                .orElseThrow(() -> new IllegalStateException("no sync work for " + kind));
    }

    private PublishedResource resource(UUID id) {
        return resources.find(id).orElseThrow(() -> Rejection.notFound("unknown_resource", "no published resource with id " + id));
    }
}
