package org.ltipublisher.instructor;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.admission.HandOff;
import org.ltipublisher.admission.HandOffService;
import org.ltipublisher.grades.LearnerScores;
import org.ltipublisher.grades.LearnerScores.NodeScore;
import org.ltipublisher.grades.ScoreService;
import org.ltipublisher.instructor.InstructorView.GradeLine;
import org.ltipublisher.instructor.InstructorView.LearnerRow;
import org.ltipublisher.instructor.InstructorView.SyncLine;
import org.ltipublisher.lti.RoleClass;
import org.ltipublisher.provenance.PlatformSource;
import org.ltipublisher.resources.PublishedResource;
import org.ltipublisher.resources.PublishedResourceService;
import org.ltipublisher.roster.EnrolmentService;
import org.ltipublisher.roster.EnrolmentStore.EnrolmentView;
import org.ltipublisher.sync.SyncKind;
import org.ltipublisher.sync.SyncRunView;
import org.ltipublisher.sync.SyncService;
import org.ltipublisher.web.Rejection;

/**
 * The instructor's view of one launch: the learners of the launched link's context, their grades per graded
 * node and where each delivery stands, the last syncs, and "send grades now" / "retry failed". Everything is
 * bound to the launch token of an instructor's launch of THAT resource: the link and context come from the
 * token, never from the URL, so a learner's token or another resource's token opens nothing.
 */
@ApplicationScoped
public class InstructorService {

    private final HandOffService handOffs;
    private final PublishedResourceService resources;
    private final EnrolmentService enrolments;
    private final LearnerScores learnerScores;
    private final ScoreService scores;
    private final SyncService syncs;

    public InstructorService(HandOffService handOffs, PublishedResourceService resources, EnrolmentService enrolments,
            LearnerScores learnerScores, ScoreService scores, SyncService syncs) {
        this.handOffs = handOffs;
        this.resources = resources;
        this.enrolments = enrolments;
        this.learnerScores = learnerScores;
        this.scores = scores;
        this.syncs = syncs;
    }

    /** The instructor's launch behind a token: 401 without a valid token, 403 for a learner or another resource. */
    public HandOff instructorLaunch(UUID resourceId, String launchToken) {
        HandOff launch = handOffs.verify(launchToken);
        if (!launch.resourceId().equals(resourceId)) {
            throw Rejection.forbidden("wrong_resource", "this launch token is for another resource: open the grades "
                    + "and delivery view from the activity you launched");
        }
        if (launch.roleClass() != RoleClass.INSTRUCTOR) {
            throw Rejection.forbidden("instructor_only", "only teachers and administrators of the course can see the "
                    + "learners' grades and their delivery; your launch has the roles " + launch.roles());
        }
        return launch;
    }

    public InstructorView view(HandOff launch, String launchToken, String message) {
        PublishedResource resource = resource(launch.resourceId());
        Map<UUID, List<NodeScore>> byLearner = new LinkedHashMap<>();
        for (NodeScore s : learnerScores.latestOnLink(launch.resourceLinkId())) {
            byLearner.computeIfAbsent(s.accountId(), a -> new ArrayList<>()).add(s);
        }
        Map<UUID, String> nodeTitles = new LinkedHashMap<>();
        List<LearnerRow> rows = new ArrayList<>();
        for (EnrolmentView e : enrolments.inContext(launch.resourceId(), launch.contextId())) {
            List<NodeScore> own = byLearner.remove(e.accountId());
            rows.add(new LearnerRow(e.name(), e.username(), e.platformUserId(), e.roleClass(), e.status(), e.source(),
                    label(e.platform()), grades(own, nodeTitles)));
        }
        // scored on this link but not (or no longer) enrolled in the context: still shown, their grades matter
        byLearner.forEach((accountId, own) -> rows.add(new LearnerRow(own.get(0).platformUserId(), null,
                own.get(0).platformUserId(), "learner", "not enrolled", null, null, grades(own, nodeTitles))));
        int failed = (int) rows.stream().flatMap(r -> r.grades().stream())
                .filter(g -> "failed".equals(g.delivery())).count();
        List<SyncLine> syncLines = syncs.status(launch.resourceId()).stream().map(InstructorService::syncLine).toList();
        return new InstructorView(resource.id, resource.title, launch.contextId() == null ? null : "this course",
                launchToken, rows, syncLines, failed, message);
    }

    /** "Send grades now": a grade sync of this resource, due at once (409 with the reason while grade sync is off). */
    public String sendGradesNow(HandOff launch) {
        syncs.requestNow(launch.resourceId(), SyncKind.GRADES);
        return "A grade sync was started; its result appears under \"Syncs\" within a few seconds.";
    }

    /** "Retry failed": every failed score of this link queued again through the outbox. */
    public String retryFailed(HandOff launch) {
        int replayed = scores.replayFailedOnLink(launch.resourceLinkId());
        return replayed == 0 ? "No failed grade to retry." : replayed + " failed grade" + (replayed == 1 ? " was" : "s were")
                + " queued again; reload this page to see the delivery.";
    }

    private List<GradeLine> grades(List<NodeScore> own, Map<UUID, String> nodeTitles) {
        if (own == null) {
            return List.of();
        }
        return own.stream().map(s -> new GradeLine(
                nodeTitles.computeIfAbsent(s.nodeId(), id -> resources.find(id).map(r -> r.title).orElse(id.toString())),
                s.scoreGiven() == null ? "–" : plain(s.scoreGiven()) + " / " + plain(s.scoreMaximum()),
                s.status().name().toLowerCase(), s.lastError(), text(s.scoredAt()), text(s.sentAt()), s.attempts()))
                .toList();
    }

    private static SyncLine syncLine(SyncRunView run) {
        return new SyncLine(run.kind(), text(run.finishedAt() != null ? run.finishedAt() : run.startedAt()),
                run.result(), run.message(), text(run.nextRunAt()));
    }

    private static String label(PlatformSource source) {
        return source == null ? null : source.label();
    }

    private static String plain(BigDecimal value) {
        return value == null ? "?" : value.stripTrailingZeros().toPlainString();
    }

    private static String text(Instant instant) {
        return instant == null ? "" : instant.toString();
    }

    private PublishedResource resource(UUID id) {
        return resources.find(id).orElseThrow(() -> Rejection.notFound("unknown_resource",
                "no published resource with id " + id));
    }
}
