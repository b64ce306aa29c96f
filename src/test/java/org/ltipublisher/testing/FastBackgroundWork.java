package org.ltipublisher.testing;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Background work on a test's time scale: the outbox and sync jobs tick every second (the scheduler's minimum), unit grades wait three
 * seconds instead of fifteen minutes, retries back off from a fifth of a second, platform JWKS are revalidated after two seconds. Shared by the grade
 * and roster test classes so Quarkus starts once for both.
 */
public class FastBackgroundWork implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "lti.grades.outbox-tick", "1s",
                "lti.grades.aggregation-delay", "3s",
                "lti.grades.retry-base", "0.2s",
                "lti.grades.retry-max", "2s",
                "lti.grades.lease", "30s",
                "lti.roster.page-size", "500",
                "lti.sync.tick", "1s",
                "lti.platform-jwks.min-cache-time", "2s");
    }
}
