package org.ltipublisher.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.UriInfo;

import org.ltipublisher.admission.LaunchTally;
import org.ltipublisher.grades.ScoreDtos.FailingPlatform;
import org.ltipublisher.grades.ScoreDtos.OutboxState;
import org.ltipublisher.grades.ScoreService;
import org.ltipublisher.keys.KeyView;
import org.ltipublisher.keys.ToolKeyService;
import org.ltipublisher.provenance.PlatformSource;
import org.ltipublisher.registration.RegistrationDtos.RegistrationView;
import org.ltipublisher.registration.RegistrationService;
import org.ltipublisher.sync.FailedSyncRun;
import org.ltipublisher.sync.SyncService;
import org.ltipublisher.sync.UpcomingSync;
import org.ltipublisher.web.PublicUrl;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** What the dashboard shows, read from the same services the admin API uses. */
@ApplicationScoped
public class ConsoleDashboard {

    /** How far back launches, failing deliveries and failed syncs are shown. */
    static final Duration PERIOD = Duration.ofHours(24);
    /** Rows per table: the dashboard points at problems, the feature's own screen lists them all. */
    static final int ROWS = 10;

    /**
     * Readiness, registrations by status, launches of the last 24 h, the score outbox, platforms whose calls fail,
     * the next sync runs and the tool's signing keys (active, next, retired).
     */
    @RegisterForReflection
    public record Overview(boolean databaseReady, Map<String, Long> registrationsByStatus,
            LaunchTally.LastDay launches, OutboxState outbox, List<FailingPlatformRow> failingPlatforms,
            List<FailedSyncRun> failedSyncs, List<UpcomingSync> nextSyncs, List<KeyView> keys) {
    }

    /** A platform with failing score deliveries; {@code registrationId} links to its page (null for a 1.1 consumer). */
    @RegisterForReflection
    public record FailingPlatformRow(String label, UUID registrationId, long retrying, long failed, String latestReason,
            Instant latestAt) {
    }

    private final RegistrationService registrations;
    private final ToolKeyService keys;
    private final ConsoleAdminStore admins;
    private final PublicUrl publicUrl;
    private final LaunchTally launches;
    private final ScoreService scores;
    private final SyncService syncs;
    private final Clock clock;

    public ConsoleDashboard(RegistrationService registrations, ToolKeyService keys, ConsoleAdminStore admins,
            PublicUrl publicUrl, LaunchTally launches, ScoreService scores, SyncService syncs, Clock clock) {
        this.registrations = registrations;
        this.keys = keys;
        this.admins = admins;
        this.publicUrl = publicUrl;
        this.launches = launches;
        this.scores = scores;
        this.syncs = syncs;
        this.clock = clock;
    }

    public Overview overview(UriInfo uriInfo) {
        // the session check just read PostgreSQL; asking again states readiness as the page is drawn
        boolean ready = admins.anyAdmin();
        List<RegistrationView> all = registrations.list(publicUrl.base(uriInfo));
        Instant since = clock.instant().minus(PERIOD);
        List<FailingPlatformRow> failing = scores.failingPlatforms(since).stream().limit(ROWS)
                .map(f -> row(f, all)).toList();
        return new Overview(ready, ConsoleResource.countBy(all, r -> r.status().name().toLowerCase()),
                launches.lastDay(), scores.outbox(), failing, syncs.failedSince(since, ROWS), syncs.upcoming(ROWS),
                keys.list());
    }

    /** Names the platform and finds its registration (by issuer and client id) for the link. */
    private static FailingPlatformRow row(FailingPlatform failing, List<RegistrationView> all) {
        PlatformSource source = failing.platform();
        UUID registrationId = PlatformSource.LTI13.equals(source.kind()) ? all.stream()
                .filter(r -> r.platform() != null && source.issuer().equals(r.platform().issuer())
                        && source.clientId().equals(r.platform().clientId()))
                .map(RegistrationView::id).findFirst().orElse(null) : null;
        return new FailingPlatformRow(source.label(), registrationId, failing.retrying(), failing.failed(),
                failing.latestReason(), failing.latestAt());
    }
}
