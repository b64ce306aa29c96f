package org.ltipublisher.grades;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A score the content reported for a user and resource link (AGS §3.4 score fields), and its place in
 * the outbox: written when accepted, sent later by whichever replica claims it.
 */
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

    /** The platform user the score is for: AGS userId is the launch's sub. */
    @Column(name = "platform_issuer")
    public String platformIssuer;

    @Column(name = "platform_subject")
    public String platformSubject;

    @Column(name = "score_given")
    public BigDecimal scoreGiven;

    @Column(name = "score_maximum")
    public BigDecimal scoreMaximum;

    public String comment;

    @Column(name = "activity_progress")
    public String activityProgress;

    @Column(name = "grading_progress")
    public String gradingProgress;

    /** The AGS timestamp: strictly increasing per user and link, platforms drop older ones. */
    @Column(name = "scored_at")
    public Instant scoredAt;

    @Column(name = "created_at")
    public Instant createdAt;

    @Enumerated(EnumType.STRING)
    public ScoreStatus status;

    public int attempts;

    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "lease_owner")
    public String leaseOwner;

    @Column(name = "lease_expires_at")
    public Instant leaseExpiresAt;

    @Column(name = "sent_at")
    public Instant sentAt;

    public String origin;

    /** The score that replays this one, once replayed: a replay happens once (V21). */
    @Column(name = "replayed_as")
    public UUID replayedAs;
}
