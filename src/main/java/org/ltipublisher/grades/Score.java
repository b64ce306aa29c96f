package org.ltipublisher.grades;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A score the content reported for a user and resource (AGS §3.4 score fields). */
@Entity
@Table(name = "score")
public class Score {

    @Id
    public UUID id;

    @Column(name = "account_id")
    public UUID accountId;

    @Column(name = "resource_id")
    public UUID resourceId;

    @Column(name = "resource_link_id")
    public UUID resourceLinkId;

    @Column(name = "score_given")
    public BigDecimal scoreGiven;

    @Column(name = "score_maximum")
    public BigDecimal scoreMaximum;

    public String comment;

    @Column(name = "activity_progress")
    public String activityProgress;

    @Column(name = "grading_progress")
    public String gradingProgress;

    @Column(name = "scored_at")
    public Instant scoredAt;

    @Column(name = "created_at")
    public Instant createdAt;
}
