package org.ltipublisher.resources;

import org.ltipublisher.lti.RoleClass;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.ltipublisher.accounts.AccountDefaults;
import org.ltipublisher.accounts.ProvisioningMode;

/** Content published as an LTI tool (Moodle's "Published as LTI tools" entry). */
@Entity
@Table(name = "published_resource")
public class PublishedResource {

    @Id
    public UUID id;

    public String title;

    @Enumerated(EnumType.STRING)
    public ResourceKind kind;

    @Column(name = "content_url")
    public String contentUrl;

    @Column(name = "max_grade")
    public BigDecimal maxGrade;

    @Column(name = "grade_sync")
    public boolean gradeSync;

    @Column(name = "member_sync")
    public boolean memberSync;

    @Enumerated(EnumType.STRING)
    @Column(name = "student_provisioning")
    public ProvisioningMode studentProvisioning;

    @Enumerated(EnumType.STRING)
    @Column(name = "teacher_provisioning")
    public ProvisioningMode teacherProvisioning;

    public boolean enabled = true;

    /** The node above this one in its content tree; null for a root (content tree, issue 13). */
    @Column(name = "parent_id")
    public UUID parentId;

    /** Order among its siblings, from 0. */
    public int position;

    /** A leaf's share of its ancestors' grades. */
    public BigDecimal weight = BigDecimal.ONE;

    @Enumerated(EnumType.STRING)
    @Column(name = "incomplete_grades")
    public IncompleteGrades incompleteGrades = IncompleteGrades.SEND_PARTIAL;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    // --- enrolment rules (Moodle's per-tool enrolment settings); see EnrolmentRules ---

    /** No new learner enrolment before this instant (Moodle "Enrolment starts"); null: no start. */
    @Column(name = "enrol_starts_at")
    public Instant enrolStartsAt;

    /** No new learner enrolment after this instant (Moodle "Enrolment ends"); null: no end. */
    @Column(name = "enrol_ends_at")
    public Instant enrolEndsAt;

    /** A learner's enrolment lasts this long from their first enrolment (Moodle "Enrolment period"); null: forever. */
    @Column(name = "enrol_period_seconds")
    public Long enrolPeriodSeconds;

    /** Most learners actively enrolled at once (Moodle "Maximum enrolled users"); 0: unlimited. */
    @Column(name = "max_enrolled")
    public int maxEnrolled;

    @Enumerated(EnumType.STRING)
    @Column(name = "member_sync_mode")
    public MemberSyncMode memberSyncMode = MemberSyncMode.ENROL_AND_UNENROL;

    @Column(name = "default_language")
    public String defaultLanguage;

    @Column(name = "default_timezone")
    public String defaultTimezone;

    @Column(name = "default_institution")
    public String defaultInstitution;

    /** Whether any enrolment rule restricts learners (launches without rules skip the checks entirely). */
    public boolean hasEnrolmentRules() {
        return enrolStartsAt != null || enrolEndsAt != null || enrolPeriodSeconds != null || maxEnrolled > 0;
    }

    public AccountDefaults accountDefaults() {
        return new AccountDefaults(defaultLanguage, defaultTimezone, defaultInstitution);
    }

    public ProvisioningMode provisioningFor(RoleClass role) {
        return role == RoleClass.INSTRUCTOR ? teacherProvisioning : studentProvisioning;
    }
}
