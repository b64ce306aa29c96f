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

    public ProvisioningMode provisioningFor(RoleClass role) {
        return role == RoleClass.INSTRUCTOR ? teacherProvisioning : studentProvisioning;
    }
}
