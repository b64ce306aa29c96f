package org.ltipublisher.legacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.ltipublisher.accounts.AccountService;
import org.ltipublisher.accounts.AccountSummary;
import org.ltipublisher.accounts.PlatformIdentity;
import org.ltipublisher.launch.LtiLaunch;
import org.ltipublisher.legacy.ConsumerService.ConsumerCredentials;
import org.ltipublisher.upgrade.Lti11UpgradeService;
import org.ltipublisher.web.Rejection;

/**
 * The LTI 1.1 → 1.3 migration claim (https://www.imsglobal.org/spec/lti/v1p3/migr, digest §12): when a
 * 1.3 launch names the 1.1 consumer key it replaces and proves it knows that consumer's secret
 * ({@code oauth_consumer_key_sign}), the 1.3 platform user is linked to the account the 1.1 user already
 * had, so their history stays with them. A wrong signature refuses the launch; a claim this tool cannot
 * check (unknown key, no signature) links nothing and lets the launch go on as a new user.
 */
@ApplicationScoped
public class Lti1p1Migration {

    private static final Logger LOG = Logger.getLogger(Lti1p1Migration.class);

    private final ConsumerService consumers;
    private final AccountService accounts;
    private final Lti11UpgradeService upgrades;

    public Lti1p1Migration(ConsumerService consumers, AccountService accounts, Lti11UpgradeService upgrades) {
        this.consumers = consumers;
        this.accounts = accounts;
        this.upgrades = upgrades;
    }

    /** Runs inside the launch's transaction, before the account lookup; a refusal rolls the launch back. */
    public void carryOver(LtiLaunch launch) {
        carryOverClaim(launch);
        // a consumer linked to this registration (Moodle's update route, or an administrator's link)
        upgrades.carryOver(launch);
    }

    private void carryOverClaim(LtiLaunch launch) {
        Map<String, Object> claim = launch.lti1p1();
        if (claim == null) {
            return;
        }
        String key = text(claim.get("oauth_consumer_key"));
        if (key == null) {
            LOG.infof("lti1p1 claim from %s without oauth_consumer_key: ignored", launch.issuer());
            return;
        }
        Optional<ConsumerCredentials> consumer = consumers.findByKey(key);
        if (consumer.isEmpty()) {
            LOG.infof("lti1p1 claim from %s names consumer key '%s', which is not configured here: no account carried "
                    + "over", launch.issuer(), key);
            return;
        }
        String sign = text(claim.get("oauth_consumer_key_sign"));
        if (sign == null) {
            LOG.infof("lti1p1 claim from %s for consumer key '%s' is unsigned: no account carried over", launch.issuer(),
                    key);
            return;
        }
        if (!signatureMatches(sign, consumer.get().secret(), key, launch)) {
            throw Rejection.badRequest("lti1p1_signature_invalid", "the lti1p1 migration claim's oauth_consumer_key_sign "
                    + "does not match the secret of the LTI 1.1 consumer '" + consumer.get().name() + "' (key '" + key
                    + "'): check that the platform migrated with the same consumer secret as LTI Publisher has");
        }
        String legacyUserId = Optional.ofNullable(text(claim.get("user_id"))).orElse(launch.user().subject());
        PlatformIdentity legacyUser = Lti11Identity.of(consumer.get().id(), legacyUserId, null, null, null, null);
        Optional<AccountSummary> legacyAccount = accounts.findLinked(legacyUser);
        if (legacyAccount.isEmpty()) {
            return;
        }
        AccountSummary linked = accounts.link(launch.user(), legacyAccount.get().id());
        if (!linked.id().equals(legacyAccount.get().id())) {
            LOG.warnf("1.3 user %s of %s is already linked to account %s, not to the 1.1 user's %s: kept as it is",
                    launch.user().subject(), launch.issuer(), linked.username(), legacyAccount.get().username());
        }
    }

    /**
     * base64(HMAC-SHA256(secret, "oauth_consumer_key&deployment_id&iss&client_id&exp&nonce")). Both encodings
     * seen in the wild are accepted: base64 of the raw MAC (the spec, packback) and base64 of its hex string
     * (Moodle). Compared in constant time.
     */
    static boolean signatureMatches(String sign, String secret, String consumerKey, LtiLaunch launch) {
        String message = String.join("&", consumerKey, launch.deploymentId(), launch.issuer(), launch.clientId(),
                String.valueOf(launch.expiresAt()), launch.nonce());
        byte[] mac = hmacSha256(secret, message);
        byte[] given = sign.trim().getBytes(StandardCharsets.US_ASCII);
        byte[] raw = Base64.getEncoder().encode(mac);
        byte[] hex = Base64.getEncoder().encode(HexFormat.of().formatHex(mac).getBytes(StandardCharsets.US_ASCII));
        return MessageDigest.isEqual(given, raw) | MessageDigest.isEqual(given, hex);
    }

    private static byte[] hmacSha256(String secret, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static String text(Object value) {
        return value == null || value.toString().isBlank() ? null : value.toString();
    }
}
