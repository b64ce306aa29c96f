package org.ltipublisher.grades;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.ltipublisher.legacy.outcomes.OutcomeTarget;
import org.ltipublisher.platform.PlatformCallFailure;

import io.quarkus.scheduler.Scheduled;

/**
 * Every replica runs this tick: claim due scores (SKIP LOCKED + lease), send them with bounded
 * concurrency, record each outcome. Work spreads over the replicas; a replica that dies leaves its
 * claimed rows to whoever claims after the lease expires.
 *
 * <p>A slow platform delays only its own scores: the tick claims no more than there are free senders and
 * never waits for a delivery, each delivery's calls end at their deadline, and at most
 * {@code lti.grades.per-platform-deliveries} scores of one platform are in flight; a score whose platform
 * is at that limit goes back to the outbox for a later tick instead of taking a sender.
 */
@ApplicationScoped
public class OutboxWorker {

    private static final Logger LOG = Logger.getLogger(OutboxWorker.class);

    private final ScoreOutbox outbox;
    private final AgsScorePublisher publisher;
    private final BasicOutcomesPublisher basicOutcomes;
    private final GradesConfig config;
    private final GradesMetrics metrics;
    private final Clock clock;
    private final ExecutorService senders;
    private final AtomicInteger busy = new AtomicInteger();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    /** This replica's name in lease_owner: host/pid plus a random part, unique per process start. */
    private final String owner;

    public OutboxWorker(ScoreOutbox outbox, AgsScorePublisher publisher, BasicOutcomesPublisher basicOutcomes,
            GradesConfig config, GradesMetrics metrics, Clock clock) {
        this.outbox = outbox;
        this.publisher = publisher;
        this.basicOutcomes = basicOutcomes;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
        this.senders = Executors.newFixedThreadPool(config.workers(), Thread.ofPlatform().name("score-sender-", 0)
                .daemon().factory());
        this.owner = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    @PreDestroy
    void stop() {
        senders.shutdownNow();
    }

    @Scheduled(identity = "score-outbox", every = "${lti.grades.outbox-tick:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        // keep the senders busy while there is due work, but give the scheduler thread back now and then
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (drainOnce(owner) > 0 && System.nanoTime() < deadline) {
            // claimed some: more may be due
        }
    }

    /**
     * One claim as {@code owner}, of at most as many scores as there are free senders, handed to them
     * without waiting for the deliveries; returns how many scores were claimed.
     */
    public int drainOnce(String owner) {
        int free = config.workers() - busy.get();
        if (free <= 0) {
            return 0;
        }
        List<UUID> claimed = outbox.claim(owner, Math.min(config.batchSize(), free), config.lease());
        for (UUID id : claimed) {
            busy.incrementAndGet();
            try {
                senders.execute(() -> {
                    try {
                        deliver(id, owner);
                    } catch (RuntimeException e) {
                        LOG.error("score delivery crashed; the lease will expire and another attempt follow", e);
                    } finally {
                        busy.decrementAndGet();
                    }
                });
            } catch (RejectedExecutionException shuttingDown) {
                busy.decrementAndGet(); // the lease expires and another replica takes the score
            }
        }
        return claimed.size();
    }

    void deliver(UUID id, String owner) {
        Delivery d = outbox.load(id, owner).orElse(null);
        if (d == null) {
            return; // settled or taken over meanwhile
        }
        // a link of an LTI 1.1 consumer has no registered platform: its scores go back as Basic Outcomes
        Optional<OutcomeTarget> outcomeTarget = d.platform() == null ? basicOutcomes.target(d) : Optional.empty();
        if ((d.platform() == null && outcomeTarget.isEmpty()) || d.userId() == null) {
            outbox.failed(id, owner, d.userId() == null ? "the score names no platform user (sub) to grade"
                    : "the score's resource link has neither a registered platform (AGS) nor an LTI 1.1 outcome "
                            + "service (lis_outcome_service_url) to go to");
            metrics.failed(0);
            return;
        }
        String platform = d.platform() != null ? "registration " + d.platform().registrationId()
                : "consumer " + outcomeTarget.get().consumerId();
        AtomicInteger platformSlots = inFlight.computeIfAbsent(platform, k -> new AtomicInteger());
        if (platformSlots.incrementAndGet() > config.perPlatformDeliveries()) {
            platformSlots.decrementAndGet();
            outbox.postpone(id, owner, config.outboxTick());
            LOG.debugf("score %s: %d scores of %s already in flight; left for a later tick", id,
                    config.perPlatformDeliveries(), platform);
            return;
        }
        try {
            send(id, owner, d, outcomeTarget);
        } finally {
            platformSlots.decrementAndGet();
        }
    }

    private void send(UUID id, String owner, Delivery d, Optional<OutcomeTarget> outcomeTarget) {
        try {
            if (outcomeTarget.isPresent()) {
                basicOutcomes.publish(outcomeTarget.get(), d);
            } else {
                publisher.publish(d);
            }
            if (outbox.sent(id, owner)) {
                metrics.sent(Duration.between(d.createdAt(), clock.instant()));
            }
        } catch (PlatformCallFailure f) {
            if (f.retryable()) {
                var next = outbox.retryLater(id, owner, d.attempts(), f.retryAfter().orElse(null), f.getMessage());
                metrics.retried(f.status());
                LOG.debugf("score %s: %s; retry at %s", id, f.getMessage(), next);
            } else {
                if (f.status() == 404 && d.lineItemUrl() == null && d.boundLineItemUrl() != null) {
                    outbox.forgetLineItem(d.linkRowId()); // the column was deleted: a replay finds or creates anew
                }
                outbox.failed(id, owner, f.getMessage());
                metrics.failed(f.status());
                LOG.infof("score %s for %s failed: %s", id, d.userId(), f.getMessage());
            }
        } catch (RuntimeException e) {
            outbox.retryLater(id, owner, d.attempts(), null, "unexpected error: " + e);
            LOG.warnf(e, "score %s: unexpected error, will retry", id);
        }
    }
}
