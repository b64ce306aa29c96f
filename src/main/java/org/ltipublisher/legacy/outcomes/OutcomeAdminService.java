package org.ltipublisher.legacy.outcomes;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.legacy.outcomes.PoxMessages.PoxResponse;
import org.ltipublisher.web.Rejection;

/** The admin API's Basic Outcomes calls: list a consumer's targets; read, replace or delete one result. */
@ApplicationScoped
public class OutcomeAdminService {

    private final OutcomeConsumers consumers;
    private final OutcomeTargets targets;
    private final BasicOutcomesClient client;

    public OutcomeAdminService(OutcomeConsumers consumers, OutcomeTargets targets, BasicOutcomesClient client) {
        this.consumers = consumers;
        this.targets = targets;
        this.client = client;
    }

    /** A user × resource link whose grades go to the consumer (sourcedid left out: it is the consumer's secret handle). */
    public record OutcomeTargetView(UUID id, UUID resourceLinkId, String ltiUserId, String serviceUrl, Instant updatedAt) {
    }

    /** What the consumer answered; {@code score} only for readResult (null when no result is set). */
    public record ResultView(UUID targetId, String operation, String codeMajor, String description, BigDecimal score) {
    }

    public record ScoreRequest(BigDecimal score) {
    }

    public List<OutcomeTargetView> list(UUID consumerId) {
        requireConsumer(consumerId);
        return targets.forConsumer(consumerId).stream()
                .map(t -> new OutcomeTargetView(t.id(), t.resourceLinkRowId(), t.ltiUserId(), t.serviceUrl(), t.updatedAt()))
                .toList();
    }

    public ResultView read(UUID consumerId, UUID targetId) {
        OutcomeTarget target = target(consumerId, targetId);
        BigDecimal score = call(target, t -> client.read(t).orElse(null));
        return new ResultView(targetId, "readResult", "success", null, score);
    }

    public ResultView replace(UUID consumerId, UUID targetId, ScoreRequest request) {
        OutcomeTarget target = target(consumerId, targetId);
        if (request == null || request.score() == null) {
            throw Rejection.unprocessable("missing_score", "score is required (0.0 to 1.0)");
        }
        if (request.score().signum() < 0 || request.score().compareTo(BigDecimal.ONE) > 0) {
            throw Rejection.unprocessable("invalid_score", "score must be between 0.0 and 1.0, not " + request.score());
        }
        PoxResponse answer = call(target, t -> client.replace(t, request.score()));
        return new ResultView(targetId, "replaceResult", answer.codeMajor(), answer.description(), null);
    }

    public ResultView delete(UUID consumerId, UUID targetId) {
        PoxResponse answer = call(target(consumerId, targetId), client::delete);
        return new ResultView(targetId, "deleteResult", answer.codeMajor(), answer.description(), null);
    }

    private static <T> T call(OutcomeTarget target, Function<OutcomeTarget, T> operation) {
        try {
            return operation.apply(target);
        } catch (OutcomeDeliveryFailure failure) {
            throw new Rejection(502, failure.retryable() ? "outcome_delivery_failed" : "outcome_refused",
                    failure.getMessage() + (failure.retryable() ? " (the call may succeed if repeated later)" : ""));
        }
    }

    private OutcomeTarget target(UUID consumerId, UUID targetId) {
        requireConsumer(consumerId);
        return targets.find(targetId).filter(t -> t.consumerId().equals(consumerId))
                .orElseThrow(() -> Rejection.notFound("unknown_outcome_target",
                        "consumer " + consumerId + " has no outcome target " + targetId));
    }

    private void requireConsumer(UUID consumerId) {
        if (consumers.outcomeConsumer(consumerId).isEmpty()) {
            throw Rejection.notFound("unknown_consumer", "no LTI 1.1 consumer with id " + consumerId);
        }
    }
}
