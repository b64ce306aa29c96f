package org.ltipublisher.grades;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.legacy.outcomes.BasicOutcomesClient;
import org.ltipublisher.legacy.outcomes.OutcomeDeliveryFailure;
import org.ltipublisher.legacy.outcomes.OutcomeTarget;
import org.ltipublisher.legacy.outcomes.OutcomeTargets;
import org.ltipublisher.platform.PlatformCallFailure;

/**
 * The outbox's second channel: a score on a resource link of an LTI 1.1 consumer goes back as a Basic
 * Outcomes replaceResult (LTI 1.1 Implementation Guide §6) with the score scaled to 0.0–1.0. The consumer's answer is mapped
 * onto the same rules as AGS: retryable failures back off, a refusal (codeMajor failure/unsupported)
 * fails the score with the consumer's description.
 */
@ApplicationScoped
public class BasicOutcomesPublisher {

    private final OutcomeTargets targets;
    private final BasicOutcomesClient client;

    public BasicOutcomesPublisher(OutcomeTargets targets, BasicOutcomesClient client) {
        this.targets = targets;
        this.client = client;
    }

    /** The 1.1 outcome target of this delivery, when its link and user came through an LTI 1.1 launch. */
    public Optional<OutcomeTarget> target(Delivery d) {
        return d.linkRowId() == null || d.userId() == null ? Optional.empty()
                : targets.forUser(d.linkRowId(), d.userId());
    }

    public void publish(OutcomeTarget target, Delivery d) {
        BigDecimal fraction = d.scoreMaximum().signum() == 0 ? BigDecimal.ZERO
                : d.scoreGiven().divide(d.scoreMaximum(), 4, RoundingMode.HALF_UP);
        try {
            client.replace(target, fraction);
        } catch (OutcomeDeliveryFailure f) {
            throw new PlatformCallFailure(f.retryable() ? 503 : 400, f.retryable(), null,
                    "the LTI 1.1 consumer's outcome service: " + f.getMessage());
        }
    }
}
