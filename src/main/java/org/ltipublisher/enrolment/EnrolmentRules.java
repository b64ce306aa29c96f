package org.ltipublisher.enrolment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.enrolment.EnrolmentRuleStore.Standing;
import org.ltipublisher.lti.RoleClass;
import org.ltipublisher.resources.PublishedResource;
import org.ltipublisher.web.Rejection;

/**
 * Moodle's enrolment rules of a published tool (enrol_lti's helper::enrol_user), decided before an enrolment
 * is written, by launches (LTI 1.3 and 1.1 alike) and by member sync:
 * <ul>
 * <li>a NEW learner (no active enrolment in the resource) is refused before "enrolment starts", after
 * "enrolment ends", and once "maximum enrolled users" learners hold an active enrolment;</li>
 * <li>an enrolled learner is refused once the "enrolment period" has passed since their first enrolment;</li>
 * <li>instructors are never refused nor counted: they run the course (Moodle counts and limits them too,
 * which can lock a teacher out of a full course).</li>
 * </ul>
 * Must run inside the transaction that then writes the enrolment: for a capped resource the seat count is
 * taken under the resource row's lock, so two learners racing for the last seat cannot both get it.
 */
@ApplicationScoped
public class EnrolmentRules {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    private final EnrolmentRuleStore store;
    private final Clock clock;

    public EnrolmentRules(EnrolmentRuleStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Refuses the launch (403 with the reason the error page shows) when the rules keep this account out. */
    public void admit(UUID accountId, PublishedResource resource, RoleClass roleClass) {
        Optional<Rejection> refusal = refusal(accountId, resource, roleClass);
        if (refusal.isPresent()) {
            throw refusal.get();
        }
    }

    /** Why this account may not be (or stay) enrolled in the resource now; empty when it may. */
    public Optional<Rejection> refusal(UUID accountId, PublishedResource resource, RoleClass roleClass) {
        if (roleClass != RoleClass.LEARNER || !resource.hasEnrolmentRules()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Standing standing = store.standing(accountId, resource.id);
        int max = 0;
        if (resource.maxEnrolled > 0 && !standing.active()) {
            // a new learner counts and takes a seat under the resource row's lock (enrolled learners, who take
            // no new seat, do not queue for it); read again under the lock: a twin launch may have enrolled them
            max = store.lockSeats(resource.id);
            standing = store.standing(accountId, resource.id);
        }
        if (resource.enrolPeriodSeconds != null && standing.firstEnrolledAt() != null) {
            Instant ended = standing.firstEnrolledAt().plusSeconds(resource.enrolPeriodSeconds);
            if (now.isAfter(ended)) {
                return Optional.of(Rejection.forbidden("enrolment_period_over", "Your enrolment in '" + resource.title
                        + "' ended on " + format(ended, resource) + ": it lasts "
                        + describe(Duration.ofSeconds(resource.enrolPeriodSeconds))
                        + " from your first launch. Ask your teacher."));
            }
        }
        if (standing.active()) {
            return Optional.empty(); // enrolled learners keep launching: window and maximum only gate new ones
        }
        if (resource.enrolStartsAt != null && now.isBefore(resource.enrolStartsAt)) {
            return Optional.of(Rejection.forbidden("enrolment_not_started", "Enrolment in this " + kind(resource)
                    + " ('" + resource.title + "') opens on " + format(resource.enrolStartsAt, resource)
                    + ". Launch it again then, or ask your teacher."));
        }
        if (resource.enrolEndsAt != null && now.isAfter(resource.enrolEndsAt)) {
            return Optional.of(Rejection.forbidden("enrolment_ended", "This " + kind(resource) + "'s enrolment ended on "
                    + format(resource.enrolEndsAt, resource) + " ('" + resource.title + "'); ask your teacher."));
        }
        if (max > 0 && store.activeLearners(resource.id) >= max) {
            return Optional.of(Rejection.forbidden("enrolment_full", "This resource ('" + resource.title
                    + "') has reached its maximum of " + max + " enrolled learner" + (max == 1 ? "" : "s")
                    + "; ask your teacher."));
        }
        return Optional.empty();
    }

    private static String kind(PublishedResource resource) {
        return resource.kind == null ? "resource" : resource.kind.name().toLowerCase(Locale.ROOT);
    }

    /** In the resource's default time zone when it has one, else UTC. */
    private static String format(Instant when, PublishedResource resource) {
        ZoneId zone = ZoneId.of(resource.defaultTimezone == null ? "UTC" : resource.defaultTimezone);
        return WHEN.format(when.atZone(zone)) + " " + zone.getId();
    }

    private static String describe(Duration period) {
        if (period.toDays() > 0 && period.equals(Duration.ofDays(period.toDays()))) {
            return period.toDays() + (period.toDays() == 1 ? " day" : " days");
        }
        if (period.toHours() > 0 && period.equals(Duration.ofHours(period.toHours()))) {
            return period.toHours() + (period.toHours() == 1 ? " hour" : " hours");
        }
        return period.toMinutes() + " minutes";
    }
}
