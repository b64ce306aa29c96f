package org.ltipublisher.console;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;
import org.ltipublisher.grades.OutboxReview;
import org.ltipublisher.grades.ScoreDtos.ScorePage;
import org.ltipublisher.grades.ScoreFilter;
import org.ltipublisher.grades.ScoreService.ReplayReport;
import org.ltipublisher.registration.RegistrationDtos.RegistrationView;
import org.ltipublisher.registration.RegistrationService;
import org.ltipublisher.resources.PublishedResourceService;
import org.ltipublisher.resources.ResourceDtos.ResourceView;
import org.ltipublisher.web.BrowserForms;
import org.ltipublisher.web.PublicUrl;
import org.ltipublisher.web.Rejection;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Grades: the score outbox by status, platform, resource and learner, the platform's reason for each failure
 * and retry, and replays of one, the selected or every failed score the filter matches, through the same
 * {@link OutboxReview} as {@code /api/v1/scores}. After a replay the page says what was sent again and what
 * was left as it was (already pending, sent or replayed).
 */
@Path("/console/grades")
@Produces(MediaType.TEXT_HTML)
public class ConsoleGradesResource {

    /** Scores per page. */
    static final int PAGE_SIZE = 100;

    /** What the last replay did, carried through the redirect (post/redirect/get) as counts in the query. */
    public record ReplayNotice(int replayed, int alreadyPending, int alreadySent, int alreadyReplayed) {

        public boolean shown() {
            return replayed + alreadyPending + alreadySent + alreadyReplayed > 0;
        }

        public boolean unchanged() {
            return alreadyPending + alreadySent + alreadyReplayed > 0;
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance grades(ConsoleAdmin admin, ScorePage page, List<RegistrationView> platforms,
                List<ResourceView> resources, Map<UUID, String> titles, String filterQuery, String newerQuery,
                String olderQuery, ReplayNotice notice);
    }

    private final OutboxReview review;
    private final RegistrationService registrations;
    private final PublishedResourceService resources;
    private final ConsoleAccess access;
    private final BrowserForms browserForms;
    private final PublicUrl publicUrl;

    @Context
    HttpHeaders headers;

    @Context
    UriInfo uriInfo;

    public ConsoleGradesResource(OutboxReview review, RegistrationService registrations,
            PublishedResourceService resources, ConsoleAccess access, BrowserForms browserForms, PublicUrl publicUrl) {
        this.review = review;
        this.registrations = registrations;
        this.resources = resources;
        this.access = access;
        this.browserForms = browserForms;
        this.publicUrl = publicUrl;
    }

    @GET
    public TemplateInstance list(@RestCookie(ConsoleSessions.COOKIE) String cookie, @RestQuery String status,
            @RestQuery String platform, @RestQuery String resource, @RestQuery String user, @RestQuery String page,
            @RestQuery String replayed, @RestQuery("already-pending") String alreadyPending,
            @RestQuery("already-sent") String alreadySent, @RestQuery("already-replayed") String alreadyReplayed) {
        ConsoleAdmin admin = access.require(cookie);
        ScoreFilter filter = ScoreFilter.of(status, platform, resource, user, page);
        ReplayNotice notice = new ReplayNotice(count("replayed", replayed), count("already-pending", alreadyPending),
                count("already-sent", alreadySent), count("already-replayed", alreadyReplayed));
        String base = publicUrl.base(uriInfo);
        List<ResourceView> published = resources.list(base);
        Map<UUID, String> titles = new LinkedHashMap<>();
        published.forEach(r -> titles.put(r.id(), r.title()));
        ScorePage found = review.search(filter, PAGE_SIZE);
        return Templates.grades(admin, found, registrations.list(base), published, titles, query(filter, false),
                filter.page() > 1 ? query(filter.onPage(filter.page() - 1), true) : null,
                found.hasNext() && filter.page() < ScoreFilter.MAX_PAGE ? query(filter.onPage(filter.page() + 1), true)
                        : null,
                notice);
    }

    /** The button on a row: that one score (its form also carries the page's filter, to come back to it). */
    @POST
    @Path("/{id}/replay")
    public RestResponse<Object> replayOne(@RestCookie(ConsoleSessions.COOKIE) String cookie, @PathParam("id") String id,
            @RestForm String status, @RestForm String platform, @RestForm String resource, @RestForm String user,
            @RestForm String page, @RestForm(BrowserForms.FIELD) String csrfToken) {
        access.require(cookie);
        browserForms.verify(headers, uriInfo, csrfToken);
        ScoreFilter back = ScoreFilter.of(status, platform, resource, user, page);
        return backTo(back, review.replay(List.of(scoreId(id))));
    }

    /** "Replay selected": the ticked rows, all or none (one unknown or malformed id refuses the lot). */
    @POST
    @Path("/replay")
    public RestResponse<Object> replaySelected(@RestCookie(ConsoleSessions.COOKIE) String cookie,
            @RestForm("id") List<String> ids, @RestForm String status, @RestForm String platform,
            @RestForm String resource, @RestForm String user, @RestForm String page,
            @RestForm(BrowserForms.FIELD) String csrfToken) {
        access.require(cookie);
        browserForms.verify(headers, uriInfo, csrfToken);
        ScoreFilter back = ScoreFilter.of(status, platform, resource, user, page);
        List<UUID> chosen = new ArrayList<>();
        for (String id : ids == null ? List.<String>of() : ids) {
            chosen.add(scoreId(id));
        }
        return backTo(back, review.replay(chosen));
    }

    /** "Replay all failed matching the filter": its platform, resource and learner; failed scores only. */
    @POST
    @Path("/replay-failed")
    public RestResponse<Object> replayFailed(@RestCookie(ConsoleSessions.COOKIE) String cookie,
            @RestForm String status, @RestForm String platform, @RestForm String resource, @RestForm String user,
            @RestForm String page, @RestForm(BrowserForms.FIELD) String csrfToken) {
        access.require(cookie);
        browserForms.verify(headers, uriInfo, csrfToken);
        ScoreFilter filter = ScoreFilter.of(status, platform, resource, user, page);
        return backTo(filter, review.replayFailed(filter));
    }

    private static RestResponse<Object> backTo(ScoreFilter filter, ReplayReport report) {
        String notice = "replayed=" + report.replayed() + "&already-pending=" + report.alreadyPending()
                + "&already-sent=" + report.alreadySent() + "&already-replayed=" + report.alreadyReplayed();
        String filters = query(filter, true);
        return RestResponse.seeOther(URI.create("/console/grades?" + (filters.isEmpty() ? "" : filters + "&") + notice));
    }

    /** The filter as a query string (URL-encoded values); with or without its page. */
    static String query(ScoreFilter filter, boolean withPage) {
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("status", filter.statusName());
        parts.put("platform", filter.registrationId());
        parts.put("resource", filter.resourceId());
        parts.put("user", filter.user());
        if (withPage && filter.page() > 1) {
            parts.put("page", filter.page());
        }
        List<String> pairs = new ArrayList<>();
        parts.forEach((name, value) -> {
            if (value != null) {
                pairs.add(name + "=" + URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
            }
        });
        return String.join("&", pairs);
    }

    private static UUID scoreId(String id) {
        try {
            return UUID.fromString(id.strip());
        } catch (IllegalArgumentException | NullPointerException e) {
            String shown = id == null ? "nothing" : "'" + (id.length() > 40 ? id.substring(0, 40) + "…" : id) + "'";
            throw Rejection.badRequest("invalid_score_id", "a score id is a UUID as the Grades page lists it, not "
                    + shown + "; nothing was replayed");
        }
    }

    private static int count(String name, String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 0 && n <= OutboxReview.MAX_REPLAY) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw Rejection.badRequest("invalid_" + name, name + " is a count the page sets after a replay (0 to "
                + OutboxReview.MAX_REPLAY + "); open the Grades page again from the menu");
    }
}
