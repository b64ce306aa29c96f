package org.ltipublisher.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.AdminApi.Published;
import org.ltipublisher.testing.ConsumerSimulator;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

/**
 * Behind an ingress the LMS signs the public https URL while the pod is reached at its own address:
 * the signature base string must use the public one (RFC 5849 §3.4.1.2; edX's note on proxies).
 */
@QuarkusTest
@TestProfile(Lti11PublicUrlTest.BehindIngress.class)
class Lti11PublicUrlTest extends WithPostgres {

    public static class BehindIngress implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("lti.public-url", "https://lti.example.edu/");
        }
    }

    @Test
    void theSignatureCoversThePublicUrlNotThePodAddress() {
        try (ConsumerSimulator consumer = ConsumerSimulator.create("anonymous", false)) {
            Published res = AdminApi.publish("Behind the ingress", "auto", "auto");
            String publicUrl = consumer.launchUrl(res.id());
            assertEquals("https://lti.example.edu/lti/v1p1/resources/" + res.id(), publicUrl);
            String podUrl = RestAssured.baseURI + ":" + RestAssured.port + "/lti/v1p1/resources/" + res.id();
            List<String[]> launch = ConsumerSimulator.basicLaunch("i-" + UUID.randomUUID(), "rl-i");

            HttpResponse<String> signedForPublic = consumer.post(podUrl, consumer.sign(publicUrl, launch));
            assertEquals(303, signedForPublic.statusCode(), signedForPublic.body());

            HttpResponse<String> signedForPod = consumer.post(podUrl, consumer.sign(podUrl, launch));
            assertEquals(401, signedForPod.statusCode());
            assertTrue(signedForPod.body().contains("https://lti.example.edu/lti/v1p1/resources/" + res.id()),
                    "the refusal names the URL the LMS must launch: " + signedForPod.body());
        }
    }
}
