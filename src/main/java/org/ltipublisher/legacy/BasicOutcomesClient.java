package org.ltipublisher.legacy;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.ltipublisher.LtiConfig;
import org.ltipublisher.legacy.ConsumerService.ConsumerCredentials;
import org.ltipublisher.legacy.PoxMessages.PoxResponse;

/**
 * Sends LTI 1.1 Basic Outcomes (replaceResult, readResult, deleteResult) to a consumer's
 * lis_outcome_service_url: a POX body signed with the consumer's key and secret (OAuth 1.0a with
 * oauth_body_hash, digest §11.3). Delivered means HTTP 2xx with imsx_codeMajor "success"; anything
 * else is an {@link OutcomeDeliveryFailure} saying whether a retry can help. Holds no transaction:
 * callers (the grades outbox, the admin API) must not call it inside one.
 */
@ApplicationScoped
public class BasicOutcomesClient {

    private static final Logger LOG = Logger.getLogger(BasicOutcomesClient.class);

    private final ConsumerService consumers;
    private final OAuthRequestSigner signer;
    private final LtiConfig config;
    private final HttpClient http;

    public BasicOutcomesClient(ConsumerService consumers, OAuthRequestSigner signer, LtiConfig config) {
        this.consumers = consumers;
        this.signer = signer;
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.legacy().outcomesTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
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
        ConsumerCredentials consumer = consumers.find(target.consumerId()).orElseThrow(() -> new OutcomeDeliveryFailure(
                "the consumer of this outcome target no longer exists", false, null));
        byte[] body = OAuthRequestSigner.utf8(xml);
        HttpRequest request = HttpRequest.newBuilder(URI.create(target.serviceUrl()))
                .timeout(config.legacy().outcomesTimeout())
                .header("Content-Type", "application/xml; charset=UTF-8")
                .header("User-Agent", "LTI-Publisher")
                .header("Authorization", signer.authorization(target.serviceUrl(), consumer.consumerKey(),
                        consumer.secret(), body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw failure(target, operation, "the consumer did not answer within "
                    + config.legacy().outcomesTimeout().toSeconds() + " s", true, null);
        } catch (IOException e) {
            throw failure(target, operation, "the consumer cannot be reached: " + e.getMessage(), true, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(target, operation, "interrupted while waiting for the consumer", true, null);
        }
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            boolean retryable = status >= 500 || status == 429 || status == 408;
            throw failure(target, operation, "the consumer answered HTTP " + status, retryable, null);
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
