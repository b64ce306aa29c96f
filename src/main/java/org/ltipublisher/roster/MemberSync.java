package org.ltipublisher.roster;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.ltipublisher.platform.PlatformCallFailure;
import org.ltipublisher.resources.PublishedResource;
import org.ltipublisher.resources.PublishedResourceService;
import org.ltipublisher.roster.MembershipReader.Page;
import org.ltipublisher.roster.NrpsCursorStore.Placement;
import org.ltipublisher.sync.SyncKind;
import org.ltipublisher.sync.SyncWork;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Moodle's member sync over NRPS (LTI NRPS 2.0 §2) for one resource: for each context it was
 * launched from, read the roster page by page (resource-link scoped with {@code rlid} first, the
 * context's otherwise; the stored {@code rel="differences"} URL for incremental runs), provision and
 * enrol as it goes, and unenrol only once every page has been read: a failed page unenrols nobody.
 */
@ApplicationScoped
public class MemberSync implements SyncWork {

    private static final Logger LOG = Logger.getLogger(MemberSync.class);
    /** A differences chain is trusted this long; then a full read catches anything it missed. */
    private static final Duration FULL_READ_EVERY = Duration.ofDays(1);

    private final MembershipReader reader;
    private final RosterWriter writer;
    private final PublishedResourceService resources;
    private final RosterConfig config;
    private final RosterMetrics metrics;
    private final ObjectMapper json;
    private final NrpsCursorStore cursors;
    private final Clock clock;

    public MemberSync(MembershipReader reader, RosterWriter writer, PublishedResourceService resources,
            RosterConfig config, RosterMetrics metrics, ObjectMapper json, NrpsCursorStore cursors, Clock clock) {
        this.reader = reader;
        this.writer = writer;
        this.resources = resources;
        this.config = config;
        this.metrics = metrics;
        this.json = json;
        this.cursors = cursors;
        this.clock = clock;
    }


    /** Counts of a context's read. */
    private static final class Tally {
        int pages;
        int active;
        int added;
        int skipped;
        int reportedGone;
        int removed;
    }

    @Override
    public SyncKind kind() {
        return SyncKind.MEMBERS;
    }

    @Override
    public Duration interval() {
        return config.syncInterval();
    }

    @Override
    public void finished(String result, Duration took) {
        metrics.run("members", result.toLowerCase(), took);
    }

    /** One run: OK, PARTIAL (some contexts failed) or FAILED, with counts and reasons. */
    @Override
    public Outcome run(Claim claim) {
        PublishedResource resource = resources.find(claim.resourceId()).orElse(null);
        if (resource == null) {
            return new Outcome("FAILED", null, "the resource no longer exists");
        }
        List<Placement> placements = cursors.placements(resource.id);
        Tally total = new Tally();
        int failed = 0;
        StringBuilder messages = new StringBuilder();
        for (Placement placement : placements) {
            try {
                Tally t = syncContext(claim, resource, placement);
                total.pages += t.pages;
                total.active += t.active;
                total.added += t.added;
                total.skipped += t.skipped;
                total.reportedGone += t.reportedGone;
                total.removed += t.removed;
            } catch (PlatformCallFailure | IncompleteRoster e) {
                failed++;
                messages.append(messages.isEmpty() ? "" : "; ").append("context ").append(placement.contextRowId())
                        .append(": ").append(e.getMessage()).append(" (nobody unenrolled)");
                LOG.warnf("member sync of resource %s, context %s: %s", resource.id, placement.contextRowId(),
                        e.getMessage());
            }
        }
        metrics.membersAdded(total.added);
        metrics.membersRemoved(total.removed);
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("contexts", placements.size());
        counts.put("pages", total.pages);
        counts.put("members", total.active);
        counts.put("added", total.added);
        counts.put("removed", total.removed);
        counts.put("skipped", total.skipped);
        counts.put("reportedInactive", total.reportedGone);
        String result = failed == 0 ? "OK" : failed == placements.size() ? "FAILED" : "PARTIAL";
        if (placements.isEmpty()) {
            messages.append("no context of this resource announced a memberships service at launch");
        }
        try {
            return new Outcome(result, json.writeValueAsString(counts), messages.isEmpty() ? null : messages.toString());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Tally syncContext(Claim claim, PublishedResource resource, Placement placement) {
        Optional<String> differences = cursors.differencesUrl(resource.id, placement.contextRowId(),
                clock.instant().minus(FULL_READ_EVERY));
        if (differences.isPresent()) {
            try {
                return read(claim, resource, placement, differences.get(), true);
            } catch (PlatformCallFailure e) {
                if (e.retryable()) {
                    throw e;
                }
                LOG.infof("differences URL of context %s refused (%s); reading the whole roster",
                        placement.contextRowId(), e.getMessage());
            }
        }
        String limit = "limit=" + config.pageSize();
        if (placement.resourceLinkId() != null) {
            try {
                // NRPS §2.4.1: rlid gives the members with access to this link (Moodle tries it first)
                return read(claim, resource, placement, withQuery(placement.membershipsUrl(),
                        "rlid=" + URLEncoder.encode(placement.resourceLinkId(), StandardCharsets.UTF_8) + "&" + limit),
                        false);
            } catch (RlidRefused e) {
                LOG.debugf("rlid refused by %s (%s); reading the context roster", placement.membershipsUrl(),
                        e.getMessage());
            }
        }
        return read(claim, resource, placement, withQuery(placement.membershipsUrl(), limit), false);
    }

    private Tally read(Claim claim, PublishedResource resource, Placement placement, String firstUrl,
            boolean differences) {
        RosterScope scope = new RosterScope(claim.runId(), resource, placement.contextRowId(),
                placement.platform().issuer(), differences);
        Tally tally = new Tally();
        String url = firstUrl;
        String nextDifferences = null;
        try {
            while (url != null) {
                if (tally.pages >= config.maxPages()) {
                    throw new IncompleteRoster("the roster has more than " + config.maxPages() + " pages");
                }
                Page page;
                try {
                    page = reader.read(placement.platform(), url);
                } catch (PlatformCallFailure e) {
                    if (tally.pages == 0 && !differences && firstUrl.contains("rlid=") && !e.retryable()) {
                        throw new RlidRefused(e.getMessage());
                    }
                    throw e;
                }
                tally.pages++;
                RosterWriter.PageCounts counts = writer.apply(scope, page.members());
                tally.active += counts.active();
                tally.added += counts.added();
                tally.skipped += counts.skipped();
                tally.reportedGone += counts.reportedGone();
                nextDifferences = page.differences().orElse(nextDifferences);
                url = page.next().orElse(null);
            }
        } catch (RuntimeException e) {
            writer.discardRemovals(scope);
            throw e;
        }
        // every page read: now, and only now, removals are applied
        if (!resource.memberSyncMode.unenrols()) {
            writer.discardRemovals(scope); // "enrol new": nobody is unenrolled by sync
        } else if (differences) {
            tally.removed = writer.unenrolRemoved(scope);
        } else if (tally.active == 0 && writer.activeEnrolments(scope) > 0) {
            throw new IncompleteRoster("the platform listed no active member at all; unenrolling the whole "
                    + "class is refused as a likely platform fault");
        } else {
            tally.removed = writer.unenrolAbsent(scope);
        }
        Instant now = clock.instant();
        cursors.save(resource.id, placement.contextRowId(), nextDifferences, differences ? null : now);
        LOG.debugf("member sync of %s in context %s: %d pages, %d active, %d added, %d removed%s", resource.id,
                placement.contextRowId(), tally.pages, tally.active, tally.added, tally.removed,
                differences ? " (differences)" : "");
        return tally;
    }

    static String withQuery(String url, String query) {
        return url + (url.contains("?") ? "&" : "?") + query;
    }

    /** The read stopped before the last page, or its result is not believable: nobody is unenrolled. */
    static final class IncompleteRoster extends RuntimeException {
        IncompleteRoster(String message) {
            super(message, null, false, false);
        }
    }

    /** The platform does not take rlid: fall back to the context roster. */
    private static final class RlidRefused extends RuntimeException {
        RlidRefused(String message) {
            super(message, null, false, false);
        }
    }
}
