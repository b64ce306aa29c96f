package org.ltipublisher.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.AdminApi.Published;
import org.ltipublisher.testing.AdminApi.Registered;
import org.ltipublisher.testing.ConsumerSimulator;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.LaunchSpec;
import org.ltipublisher.testing.LtiBrowser;
import org.ltipublisher.testing.PlatformSimulator;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A platform that launched over LTI 1.1 moves to 1.3 and sends the lti1p1 migration claim: its users keep
 * their accounts when oauth_consumer_key_sign verifies (either encoding), and nothing is linked when not.
 */
@QuarkusTest
class Lti1p1MigrationTest extends WithPostgres {

    enum Encoding { RAW, HEX }

    static PlatformSimulator platform;

    @Inject
    DataSource db;

    @BeforeAll
    static void startPlatform() {
        platform = new PlatformSimulator();
    }

    @AfterAll
    static void stopPlatform() {
        platform.close();
    }

    /** The platform's side of the migration guide: base64(HMAC-SHA256(secret, key&deployment&iss&aud&exp&nonce)). */
    static String sign(String secret, String key, Map<String, Object> claims, Encoding encoding) {
        String message = key + "&" + claims.get(LaunchSpec.LTI + "deployment_id") + "&" + claims.get("iss") + "&"
                + claims.get("aud") + "&" + claims.get("exp") + "&" + claims.get("nonce");
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] raw = mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
            byte[] encoded = encoding == Encoding.RAW ? raw : HexFormat.of().formatHex(raw).getBytes(StandardCharsets.UTF_8);
            return Base64.getEncoder().encodeToString(encoded);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static LaunchSpec migrating(Registered reg, Published res, String sub, String key, String secret,
            String legacyUserId, Encoding encoding) {
        LaunchSpec spec = LaunchSpec.resourceLink(reg.issuer(), reg.clientId(), reg.deploymentId(), res.launchUrl(), sub);
        spec.beforeSigning = claims -> {
            Map<String, Object> claim = new LinkedHashMap<>();
            claim.put("oauth_consumer_key", key);
            if (legacyUserId != null) {
                claim.put("user_id", legacyUserId);
            }
            claim.put("oauth_consumer_key_sign", sign(secret, key, claims, encoding));
            claims.put(LaunchSpec.LTI + "lti1p1", claim);
        };
        return spec;
    }

    /** A user who launched over 1.1 before: returns their account id. */
    private String legacyAccount(ConsumerSimulator consumer, Published res, String userId) {
        String url = consumer.launchUrl(res.id());
        assertEquals(303, consumer.post(url, consumer.sign(url, ConsumerSimulator.basicLaunch(userId, "rl-m"))).statusCode());
        String account = DbCounts.text(db, "select account_id::text from platform_user where issuer = ? and subject = ?",
                Lti11Identity.issuer(consumer.id), userId);
        assertNotNull(account);
        return account;
    }

    private String accountOf(Registered reg, String sub) {
        return DbCounts.text(db, "select account_id::text from platform_user where issuer = ? and subject = ?",
                reg.issuer(), sub);
    }

    @Test
    void a11UserLaunchingOver13KeepsTheirAccountWithEitherSignatureEncoding() {
        try (ConsumerSimulator consumer = ConsumerSimulator.create("anonymous", false)) {
            Registered reg = AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1");
            Published res = AdminApi.publish("Migrated course", "auto", "auto");
            String secret = consumer.secret();

            // base64 of the raw HMAC, the 1.1 user id named in the claim
            String legacy = "legacy-" + UUID.randomUUID();
            String account = legacyAccount(consumer, res, legacy);
            String sub = "sub-" + UUID.randomUUID();
            Response launch = new LtiBrowser().launch(platform, reg, res.launchUrl(),
                    migrating(reg, res, sub, consumer.key(), secret, legacy, Encoding.RAW));
            assertEquals(303, launch.statusCode(), launch.asString());
            assertEquals(account, accountOf(reg, sub));

            // base64 of the hex string (Moodle), user_id left out because it equals sub
            String same = "same-" + UUID.randomUUID();
            String sameAccount = legacyAccount(consumer, res, same);
            Response hex = new LtiBrowser().launch(platform, reg, res.launchUrl(),
                    migrating(reg, res, same, consumer.key(), secret, null, Encoding.HEX));
            assertEquals(303, hex.statusCode(), hex.asString());
            assertEquals(sameAccount, accountOf(reg, same));
            assertEquals(1, DbCounts.scalar(db, "select count(*) from enrolment where account_id = ?::uuid "
                    + "and resource_id = ? and context_id in (select id from lti_context where deployment_id is not null)",
                    UUID.fromString(sameAccount), res.id()), "enrolled in the 1.3 context with the kept account");
        }
    }

    @Test
    void aBadSignatureRefusesTheLaunchAndLinksNothing() {
        try (ConsumerSimulator consumer = ConsumerSimulator.create("anonymous", false)) {
            Registered reg = AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1");
            Published res = AdminApi.publish("Migrated course 2", "auto", "auto");
            String legacy = "legacy-" + UUID.randomUUID();
            legacyAccount(consumer, res, legacy);
            String sub = "sub-" + UUID.randomUUID();
            DbCounts before = DbCounts.of(db);

            Response refused = new LtiBrowser().json().launch(platform, reg, res.launchUrl(),
                    migrating(reg, res, sub, consumer.key(), "a-secret-the-tool-does-not-have", legacy, Encoding.RAW));

            assertEquals(400, refused.statusCode(), refused.asString());
            assertEquals("lti1p1_signature_invalid", refused.path("error"));
            assertEquals(before, DbCounts.of(db), "no link, no account, no nonce");

            // a key this tool never had cannot be checked: the launch goes on as a new user
            Response unknownKey = new LtiBrowser().launch(platform, reg, res.launchUrl(),
                    migrating(reg, res, sub, "never-configured", "whatever", legacy, Encoding.RAW));
            assertEquals(303, unknownKey.statusCode(), unknownKey.asString());
            assertNotEquals(DbCounts.text(db, "select account_id::text from platform_user where issuer = ? and subject = ?",
                    Lti11Identity.issuer(consumer.id), legacy), accountOf(reg, sub));
        }
    }
}
