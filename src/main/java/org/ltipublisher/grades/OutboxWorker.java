package org.ltipublisher.grades;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.ltipublisher.legacy.outcomes.OutcomeTarget;
import org.ltipublisher.platform.PlatformCallFailure;

import io.quarkus.scheduler.Scheduled;

/**
 * Every replica runs this tick: claim due scores in batches (SKIP LOCKED + lease, one statement with all
 * their delivery data), send them with bounded concurrency, record the outcomes, the accepted ones in one
 * statement per batch. Work spreads over the replicas; a replica that dies leaves its claimed rows to
 * whoever claims after the lease expires.
 *
 * <p>Each platform (registration or LTI 1.1 consumer) has a lane on this replica: its claimed scores queue
 * there and at most {@code lti.grades.per-platform-deliveries} senders work through them, reusing the
 * platform's cached token and kept-alive connections. A slow platform delays only its own scores: its
 * lane holds at most {@code lti.grades.batch-size} scores (further ones are not claimed, or go back to the
 * outbox for a later tick), while the claims go on for the other platforms up to twice that many in all; a
 * queued score whose lease is half gone goes back untried rather than risk being sent twice.
 */
@ApplicationScoped
public class OutboxWorker {

    private static final Logger LOG = Logger.getLogger(OutboxWorker.class);
    /** Accepted scores are marked sent at most this many at once, and at the latest after {@link #SETTLE_AFTER}. */
    private static final int SETTLE_BATCH = 50;
    private static final long SETTLE_AFTER = Duration.ofSeconds(1).toNanos();

    private final ScoreOutbox outbox;
    private final AgsScorePublisher publisher;
    private final BasicOutcomesPublisher basicOutcomes;
    private final GradesConfig config;
    private final GradesMetrics metrics;
    private final Clock clock;
    private final ExecutorService senders;
    /** Guards {@link #lanes} and {@link #outstanding}; notified whenever a claimed score is settled. */
    private final Object lanesLock = new Object();
    private final Map<String, Lane> lanes = new HashMap<>();
    /** Scores this replica has claimed and not yet settled (queued or being sent). */
    private int outstanding;
    /** This replica's name in lease_owner: host/pid plus a random part, unique per process start. */
    private final String owner;

    /** One platform's claimed scores on this replica and the senders working through them. */
    private static final class Lane {
        final ArrayDeque<Claimed> queue = new ArrayDeque<>();
        final UUID registrationId;
        int senders;

        Lane(UUID registrationId) {
            this.registrationId = registrationId;
        }

        int held() {
            return queue.size() + senders;
        }
    }

    /** A claimed score on its way: whose claim it is, and until when its lease is safely ours. */
    private record Claimed(Delivery delivery, String owner, Optional<OutcomeTarget> outcomeTarget, long sendBefore) {
    }

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
        // keep the lanes fed while there is due work, but give the scheduler thread back now and then
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (drainOnce(owner) == 0 && !awaitSettled(Math.min(deadline - System.nanoTime(),
                    config.outboxTick().toNanos()))) {
                return; // nothing claimed and nothing under way: the next tick looks again
            }
        }
    }

    /**
     * One claim as {@code owner}, of as many scores as the lanes have room for, queued on their platforms'
     * lanes without waiting for the deliveries; returns how many scores were claimed.
     */
    public int drainOnce(String owner) {
        int limit;
        List<UUID> saturated = new ArrayList<>();
        synchronized (lanesLock) {
            int fullest = 0;
            for (Lane lane : lanes.values()) {
                if (lane.held() >= config.batchSize()) {
                    if (lane.registrationId != null) {
                        saturated.add(lane.registrationId);
                    }
                } else {
                    fullest = Math.max(fullest, lane.held());
                }
            }
            // no lane that still takes scores gets more than its room, and all lanes together at most two batches
            limit = Math.min(2 * config.batchSize() - outstanding, config.batchSize() - fullest);
        }
        if (limit <= 0) {
            return 0;
        }
        long sendBefore = System.nanoTime() + config.lease().toNanos() / 2;
        List<Delivery> claimed = outbox.claim(owner, limit, config.lease(), saturated);
        List<String> start = new ArrayList<>();
        for (Delivery d : claimed) {
            // a link of an LTI 1.1 consumer has no registered platform: its scores go back as Basic Outcomes
            Optional<OutcomeTarget> outcomeTarget = d.platform() == null ? basicOutcomes.target(d) : Optional.empty();
            if ((d.platform() == null && outcomeTarget.isEmpty()) || d.userId() == null) {
                outbox.failed(d.scoreId(), owner, d.userId() == null ? "the score names no platform user (sub) to grade"
                        : "the score's resource link has neither a registered platform (AGS) nor an LTI 1.1 outcome "
                                + "service (lis_outcome_service_url) to go to");
                metrics.failed(0);
                continue;
            }
            String platform = d.platform() != null ? "registration " + d.platform().registrationId()
                    : "consumer " + outcomeTarget.get().consumerId();
            boolean queued;
            synchronized (lanesLock) {
                Lane lane = lanes.computeIfAbsent(platform,
                        k -> new Lane(d.platform() == null ? null : d.platform().registrationId()));
                queued = lane.held() < config.batchSize();
                if (queued) {
                    lane.queue.add(new Claimed(d, owner, outcomeTarget, sendBefore));
                    outstanding++;
                    if (lane.senders < config.perPlatformDeliveries()) {
                        lane.senders++;
                        start.add(platform);
                    }
                }
            }
            if (!queued) {
                outbox.postpone(d.scoreId(), owner, config.outboxTick());
                LOG.debugf("score %s: %d scores of %s already claimed here; left for a later tick", d.scoreId(),
                        config.batchSize(), platform);
            }
        }
        for (String platform : start) {
            try {
                senders.execute(() -> runLane(platform));
            } catch (RejectedExecutionException shuttingDown) {
                // the leases expire and another replica takes the scores
                synchronized (lanesLock) {
                    lanes.get(platform).senders--;
                }
            }
        }
        return claimed.size();
    }

    /** Waits until a claimed score is settled; false at once when none is under way. */
    private boolean awaitSettled(long nanos) {
        synchronized (lanesLock) {
            if (outstanding == 0) {
                return false;
            }
            try {
                lanesLock.wait(Math.max(1, nanos / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            return true;
        }
    }

    /** One sender of a platform's lane: sends its queued scores one after another until the queue is empty. */
    private void runLane(String platform) {
        List<Claimed> accepted = new ArrayList<>();
        long firstAccepted = 0;
        while (true) {
            Claimed next = take(platform, accepted.isEmpty());
            if (next == null) {
                if (accepted.isEmpty()) {
                    return; // retired
                }
                settle(accepted);
                continue;
            }
            boolean sent;
            try {
                sent = deliver(next);
            } catch (RuntimeException e) {
                LOG.error("score delivery crashed; the lease will expire and another attempt follow", e);
                sent = false;
            }
            if (sent) {
                firstAccepted = accepted.isEmpty() ? System.nanoTime() : firstAccepted;
                accepted.add(next);
            } else {
                settled(1);
            }
            if (accepted.size() >= SETTLE_BATCH || (!accepted.isEmpty() && System.nanoTime() - firstAccepted > SETTLE_AFTER)) {
                settle(accepted);
            }
        }
    }

    /** The lane's next score; when there is none and the sender holds nothing, the sender retires. */
    private Claimed take(String platform, boolean mayRetire) {
        synchronized (lanesLock) {
            Lane lane = lanes.get(platform);
            Claimed next = lane.queue.poll();
            if (next == null && mayRetire) {
                lane.senders--;
                if (lane.senders == 0) {
                    lanes.remove(platform);
                }
            }
            return next;
        }
    }

    /** Marks accepted scores sent, one statement per claim owner. */
    private void settle(List<Claimed> accepted) {
        try {
            Map<String, List<Claimed>> byOwner = new HashMap<>();
            accepted.forEach(c -> byOwner.computeIfAbsent(c.owner(), k -> new ArrayList<>()).add(c));
            for (Map.Entry<String, List<Claimed>> entry : byOwner.entrySet()) {
                Map<UUID, Delivery> deliveries = new HashMap<>();
                entry.getValue().forEach(c -> deliveries.put(c.delivery().scoreId(), c.delivery()));
                for (UUID id : outbox.sent(List.copyOf(deliveries.keySet()), entry.getKey())) {
                    metrics.sent(Duration.between(deliveries.get(id).createdAt(), clock.instant()));
                }
            }
        } catch (RuntimeException e) {
            LOG.error("marking delivered scores sent failed; their leases expire and they are sent again", e);
        } finally {
            settled(accepted.size());
            accepted.clear();
        }
    }

    private void settled(int scores) {
        synchronized (lanesLock) {
            outstanding -= scores;
            lanesLock.notifyAll();
        }
    }

    /**
     * Sends one claimed score; true when the platform accepted it (marked sent by the caller), false when
     * its outcome is recorded already or it went back to the outbox.
     */
    private boolean deliver(Claimed claimed) {
        Delivery d = claimed.delivery();
        if (System.nanoTime() > claimed.sendBefore()) {
            // queued for half its lease: sending now could overlap another replica's claim after expiry
            outbox.postpone(d.scoreId(), claimed.owner(), Duration.ZERO);
            return false;
        }
        return send(d.scoreId(), claimed.owner(), d, claimed.outcomeTarget());
    }

    private boolean send(UUID id, String owner, Delivery d, Optional<OutcomeTarget> outcomeTarget) {
        try {
            if (outcomeTarget.isPresent()) {
                basicOutcomes.publish(outcomeTarget.get(), d);
            } else {
                publisher.publish(d);
            }
            return true;
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
        return false;
    }
}
