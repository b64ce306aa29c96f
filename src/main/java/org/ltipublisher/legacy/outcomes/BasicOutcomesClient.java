package org.ltipublisher.legacy.outcomes;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.ltipublisher.LtiConfig;
import org.ltipublisher.legacy.oauth.OAuthRequestSigner;
import org.ltipublisher.legacy.outcomes.PoxMessages.PoxResponse;
import org.ltipublisher.outbound.OutboundFailure;
import org.ltipublisher.outbound.PlatformClient;

/**
 * Sends LTI 1.1 Basic Outcomes (replaceResult, readResult, deleteResult) to a consumer's
 * lis_outcome_service_url: a POX body signed with the consumer's key and secret (OAuth 1.0a with
 * oauth_body_hash: LTI 1.1 Implementation Guide §6 and the OAuth Request Body Hash extension). Delivered means HTTP 2xx with imsx_codeMajor "success"; anything
 * else is an {@link OutcomeDeliveryFailure} saying whether a retry can help. The URL comes from the
 * launch, so it goes through the {@link PlatformClient}'s address policy like every platform call. Holds no transaction:
 * callers (the grades outbox, the admin API) must not call it inside one.
 */
@ApplicationScoped
public class BasicOutcomesClient {

    private static final Logger LOG = Logger.getLogger(BasicOutcomesClient.class);

    private final OutcomeConsumers consumers;
    private final OAuthRequestSigner signer;
    private final LtiConfig config;
    private final PlatformClient client;

    public BasicOutcomesClient(OutcomeConsumers consumers, OAuthRequestSigner signer, LtiConfig config,
            PlatformClient client) {
        this.consumers = consumers;
        this.signer = signer;
        this.config = config;
        this.client = client;
    }

    /** replaceResult with a score from 0.0 to 1.0 (LTI 1.1 §6: other values are the consumer's failure). */
    public PoxResponse replace(OutcomeTarget target, BigDecimal score) {
        if (score == null || score.signum() < 0 || score.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException("a Basic Outcomes score is between 0.0 and 1.0, not " + score);
        }
        return send(target, "replaceResult", PoxMessages.replaceResult(messageId(), target.sourcedId(),
                score.stripTrailingZeros().scale() < 1 ? score.setScale(1) : score.stripTrailingZeros()));
    }

    /** readResult: the score the consumer holds, empty when none is set. */
    public Optional<BigDecimal> read(OutcomeTarget target) {
        return Optional.ofNullable(send(target, "readResult", PoxMessages.readResult(messageId(), target.sourcedId()))
                .score());
    }

    public PoxResponse delete(OutcomeTarget target) {
        return send(target, "deleteResult", PoxMessages.deleteResult(messageId(), target.sourcedId()));
    }

    private PoxResponse send(OutcomeTarget target, String operation, String xml) {
        OutcomeConsumers.OutcomeConsumer consumer = consumers.outcomeConsumer(target.consumerId()).orElseThrow(() -> new OutcomeDeliveryFailure(
                "the consumer of this outcome target no longer exists", false, null));
        byte[] body = OAuthRequestSigner.utf8(xml);
        PlatformClient.Answer response;
        try {
            // checked before signing, so no signature is computed for a URL the tool will not call
            client.check("the outcome service", target.serviceUrl());
            response = client.send(PlatformClient.Request.post("the outcome service", target.serviceUrl(),
                    "application/xml; charset=UTF-8", body)
                    .header("Authorization", signer.authorization(target.serviceUrl(), consumer.consumerKey(),
                            consumer.secret(), body))
                    .deadline(config.legacy().outcomesTimeout()));
        } catch (OutboundFailure f) {
            throw failure(target, operation, f.getMessage(), f.retryable(), null);
        }
        int status = response.status();
        if (status < 200 || status > 299) {
            throw failure(target, operation, "the consumer answered HTTP " + status, response.retryable(), null);
        }
        PoxResponse pox;
        try {
            pox = PoxMessages.parse(response.body());
        } catch (IllegalArgumentException e) {
            throw failure(target, operation, "the consumer's answer is not a POX response: " + e.getMessage(), false, null);
        }
        if (!pox.success()) {
            throw failure(target, operation, "the consumer answered " + pox.codeMajor()
                    + (pox.description() == null ? "" : ": " + pox.description()),
                    "processing".equals(pox.codeMajor()), pox.codeMajor());
        }
        LOG.debugf("%s delivered to %s for user %s", operation, target.serviceUrl(), target.ltiUserId());
        return pox;
    }

    private static OutcomeDeliveryFailure failure(OutcomeTarget target, String operation, String reason,
            boolean retryable, String codeMajor) {
        LOG.infof("%s for user %s at %s failed (%s): %s", operation, target.ltiUserId(), target.serviceUrl(),
                retryable ? "will retry" : "refused", reason);
        return new OutcomeDeliveryFailure(operation + " failed: " + reason, retryable, codeMajor);
    }

    private static String messageId() {
        return UUID.randomUUID().toString();
    }
}
