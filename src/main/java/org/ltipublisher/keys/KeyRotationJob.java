package org.ltipublisher.keys;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/** Creates keys on first start and rotates/prunes them on schedule; the advisory lock keeps replicas in turn. */
@ApplicationScoped
public class KeyRotationJob {

    private final ToolKeyService keys;

    public KeyRotationJob(ToolKeyService keys) {
        this.keys = keys;
    }

    void onStart(@Observes StartupEvent event) {
        keys.ensureKeys();
    }

    @Scheduled(every = "${lti.keys.rotation-check:1h}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void rotateAndPrune() {
        keys.rotateIfDue();
        keys.pruneRetired();
    }
}
