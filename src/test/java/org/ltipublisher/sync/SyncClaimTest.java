package org.ltipublisher.sync;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.Eventually;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The claim every replica's sync tick makes: two replicas claiming at the same moment never get the
 * same resource, and a run whose replica died (lease expired) is claimed again by another.
 */
@QuarkusTest
@TestProfile(SyncClaimTest.NoTicker.class)
class SyncClaimTest extends WithPostgres {

    /** The ticker stays off so that only this test's two "replicas" claim. */
    public static class NoTicker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.scheduler.enabled", "false");
        }
    }

    private static final Duration INTERVAL = Duration.ofMinutes(30);

    @Inject
    SyncScheduleStore schedules;

    @Inject
    DataSource db;

    private UUID gradeSynced(String title) {
        UUID id = AdminApi.publish(Map.of("title", title, "kind", "activity", "maxGrade", 10, "gradeSync", true,
                "studentProvisioning", "auto", "teacherProvisioning", "auto")).id();
        // long overdue, so these come before anything else due in the shared database
        DbCounts.scalar(db, "with u as (insert into sync_schedule (resource_id, kind, next_run_at) "
                + "values (?, 'GRADES', now() - interval '1 day') on conflict (resource_id, kind) do update "
                + "set next_run_at = excluded.next_run_at returning 1) select count(*) from u", id);
        return id;
    }

    @Test
    void twoReplicasClaimingAtOnceNeverGetTheSameRun() throws Exception {
        int due = 12;
        Set<UUID> mine = new HashSet<>();
        for (int i = 0; i < due; i++) {
            mine.add(gradeSynced("claim race " + i));
        }
        AtomicInteger budget = new AtomicInteger(due);
        ConcurrentLinkedQueue<SyncWork.Claim> claims = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService replicas = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (String owner : List.of("replica-a", "replica-b")) {
                running.add(replicas.submit(() -> {
                    start.await();
                    while (budget.getAndDecrement() > 0) {
                        schedules.claimNext(SyncKind.GRADES, owner, INTERVAL).ifPresent(claims::add);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> replica : running) {
                replica.get(60, TimeUnit.SECONDS);
            }
        } finally {
            replicas.shutdownNow();
        }
        List<UUID> claimed = claims.stream().map(SyncWork.Claim::resourceId).toList();
        assertEquals(due, claimed.size(), "every claim found a due run: " + claimed);
        assertEquals(mine, new HashSet<>(claimed), "each due run was claimed exactly once");
        for (SyncWork.Claim claim : claims) {
            schedules.finish(claim, "OK", "{}", null, INTERVAL);
        }
    }

    @Test
    void runNowStartsOnTheReplicaThatTookTheRequestWithoutWaitingForATick() {
        UUID resource = AdminApi.publish(Map.of("title", "run now", "kind", "activity", "maxGrade", 10, "gradeSync", true,
                "studentProvisioning", "auto", "teacherProvisioning", "auto")).id();
        AdminApi.admin().post("/api/v1/resources/" + resource + "/sync/grades").then().statusCode(202)
                .body("status", equalTo("requested"));
        // the scheduler is off in this profile: only the request itself can have started the run
        Eventually.await(Duration.ofSeconds(30), () -> DbCounts.scalar(db, "select count(*) from sync_run "
                + "where resource_id = ? and kind = 'GRADES' and result = 'OK' and finished_at is not null", resource) == 1,
                () -> "the requested grade sync did not run");
        AdminApi.admin().get("/api/v1/resources/" + resource + "/sync").then().statusCode(200)
                .body("find { it.kind == 'grades' }.result", equalTo("ok"))
                .body("find { it.kind == 'grades' }.counts.queued", equalTo(0));
    }

    @Test
    void aDeadReplicasRunIsClaimedAgainOnceItsLeaseExpires() {
        UUID resource = gradeSynced("dead replica");
        SyncWork.Claim dead = schedules.claimNext(SyncKind.GRADES, "dead-pod", INTERVAL).orElseThrow();
        assertEquals(resource, dead.resourceId());

        // while the lease lasts, nobody else gets it
        Optional<SyncWork.Claim> during = schedules.claimNext(SyncKind.GRADES, "replica-b", INTERVAL);
        assertTrue(during.isEmpty() || !during.get().resourceId().equals(resource), "leased runs are nobody else's");
        during.ifPresent(c -> schedules.finish(c, "OK", "{}", null, INTERVAL));

        // the pod died: its lease runs out
        DbCounts.scalar(db, "with u as (update sync_schedule set lease_expires_at = now() - interval '1 second' "
                + "where resource_id = ? and kind = 'GRADES' returning 1) select count(*) from u", resource);
        SyncWork.Claim again = schedules.claimNext(SyncKind.GRADES, "replica-b", INTERVAL).orElseThrow();
        assertEquals(resource, again.resourceId());
        assertEquals("replica-b", again.owner());

        // the dead pod coming back late cannot reschedule what is now replica-b's
        schedules.finish(dead, "OK", "{}", null, INTERVAL);
        assertEquals("replica-b", DbCounts.text(db,
                "select lease_owner from sync_schedule where resource_id = ? and kind = 'GRADES'", resource));
        schedules.finish(again, "OK", "{}", null, INTERVAL);
        assertEquals(null, DbCounts.text(db,
                "select lease_owner from sync_schedule where resource_id = ? and kind = 'GRADES'", resource));
    }
}
