package org.ltipublisher.resources;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** JSON shapes of the published-resource admin API. */
public final class ResourceDtos {

    private ResourceDtos() {
    }

    /**
     * Create or update; provisioning values: auto, prompt, existing-only, anonymous. Content tree (issue 13):
     * {@code parentId} places the resource under another ({@code ""} on update makes it a root again; left out,
     * it stays where it is), {@code position} among its siblings (from 0; left out: last), {@code weight} a leaf's
     * share of its ancestors' grades (default 1), {@code incompleteGrades} send-partial or only-when-complete.
     * Enrolment rules: {@code enrolmentStartsAt}/{@code enrolmentEndsAt} ISO-8601 instants, {@code enrolmentPeriod}
     * an ISO-8601 duration ("P30D"), {@code maxEnrolled} 0 = unlimited, {@code memberSyncMode} enrol-and-unenrol,
     * enrol-new or unenrol-missing; account defaults: a BCP 47 language tag, a time zone id ("Europe/Paris"), an
     * institution.
     */
    public record ResourceRequest(String title, String kind, String contentUrl, BigDecimal maxGrade, Boolean gradeSync,
            Boolean memberSync, String studentProvisioning, String teacherProvisioning, Boolean enabled,
            String parentId, Integer position, BigDecimal weight, String incompleteGrades,
            String enrolmentStartsAt, String enrolmentEndsAt, String enrolmentPeriod, Integer maxEnrolled,
            String memberSyncMode, String defaultLanguage, String defaultTimezone, String defaultInstitution) {
    }

    public record ResourceView(UUID id, String title, String kind, String contentUrl, BigDecimal maxGrade,
            boolean gradeSync, boolean memberSync, String studentProvisioning, String teacherProvisioning,
            boolean enabled, String launchUrl, String customProperties, Map<String, String> custom,
            Instant createdAt, Instant updatedAt, ContentCredentialView contentCredential, TreePlace tree,
            Instant enrolmentStartsAt, Instant enrolmentEndsAt, String enrolmentPeriod, int maxEnrolled,
            String memberSyncMode, String defaultLanguage, String defaultTimezone, String defaultInstitution) {

        /** The same view carrying the content credential just issued (its secret is shown only here). */
        ResourceView withContentCredential(ContentCredentialView credential) {
            return new ResourceView(id, title, kind, contentUrl, maxGrade, gradeSync, memberSync, studentProvisioning,
                    teacherProvisioning, enabled, launchUrl, customProperties, custom, createdAt, updatedAt, credential,
                    tree, enrolmentStartsAt, enrolmentEndsAt, enrolmentPeriod, maxEnrolled, memberSyncMode,
                    defaultLanguage, defaultTimezone, defaultInstitution);
        }
    }

    /** A resource's place in its content tree: parent (null for a root), position, weight, children in order. */
    public record TreePlace(UUID parentId, int position, BigDecimal weight, String incompleteGrades,
            java.util.List<UUID> children) {
    }

    /** One line of the content outline: a resource and how deep it sits in its tree (0 for a root). */
    public record OutlineRow(int depth, ResourceView resource) {
    }

    /**
     * The content application's credential for this resource: it reports scores with
     * {@code Authorization: Basic base64(keyId:secret)} and the learner's launch token. The secret is shown once.
     */
    public record ContentCredentialView(UUID resourceId, String keyId, String secret, Instant createdAt) {
    }
}
