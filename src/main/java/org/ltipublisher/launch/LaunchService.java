package org.ltipublisher.launch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.All;
import io.quarkus.narayana.jta.QuarkusTransaction;

import org.ltipublisher.admission.LaunchNonce;
import org.ltipublisher.admission.LaunchOutcome;
import org.ltipublisher.admission.NonceStore;
import org.ltipublisher.registration.Deployment;
import org.ltipublisher.registration.Registration;
import org.ltipublisher.registration.RegistrationService;
import org.ltipublisher.registration.UnknownDeploymentPolicy;
import org.ltipublisher.web.Rejection;

/**
 * An LTI 1.3 launch from state and id_token to its message's outcome: state → id_token (the checks every
 * message shares) → the message type's handler checks its claims (reads only) → a returning user's launch in
 * one statement with its nonce (autocommit), any other in one transaction: nonce, deployment, the handler's
 * writes. Any rejection rolls the writes back (or, in the one statement, comes before any), so a refused
 * launch stores nothing and leaves its nonce unused.
 */
@ApplicationScoped
public class LaunchService {

    private final LoginStateCodec states;
    private final IdTokenValidator validator;
    private final RegistrationService registrations;
    private final Map<String, MessageHandler> handlers = new LinkedHashMap<>();
    private final NonceStore nonces;
    private final LaunchMetrics metrics;
    private final Clock clock;

    public LaunchService(LoginStateCodec states, IdTokenValidator validator, RegistrationService registrations,
            @All List<MessageHandler> handlers, NonceStore nonces, LaunchMetrics metrics, Clock clock) {
        this.states = states;
        this.validator = validator;
        this.registrations = registrations;
        handlers.forEach(h -> this.handlers.put(h.messageType(), h));
        this.nonces = nonces;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** The request as the launch endpoint received it. */
    public record LaunchRequest(String idToken, String state, String error, String errorDescription,
            Function<String, String> cookies, String baseUrl, String storageProof) {
    }

    /** A launch's outcome and the login state it finished (null when the state is not settled yet). */
    public record LaunchResult(LaunchOutcome outcome, LoginState state) {
    }

    /** Not one transaction: reads come from caches or short read transactions, writes are scoped below. */
    public LaunchResult launch(LaunchRequest request) {
        Instant started = clock.instant();
        try {
            LaunchResult result = settle(request);
            metrics.launchSucceeded(result.outcome(), Duration.between(started, clock.instant()));
            return result;
        } catch (Rejection rejection) {
            metrics.launchRejected(rejection.code(), Duration.between(started, clock.instant()));
            throw rejection;
        }
    }

    /** The state is read (signature checked) once per launch and handed on. */
    private LaunchResult settle(LaunchRequest request) {
        if (request.error() != null) {
            // OIDC Core §3.1.2.6: the platform refused to authenticate (e.g. login_required)
            throw Rejection.badRequest("platform_error", "the platform refused the login: " + request.error()
                    + (request.errorDescription() == null ? "" : " (" + request.errorDescription() + ")"));
        }
        LoginState read = states.read(request.state());
        if (states.awaitsStorageProof(read, request.cookies(), request.storageProof())) {
            // no cookie came back, but the login stored its secret in the platform: read it back first
            // (LTI Client Side postMessages, lti.get_data)
            LoginState.PlatformStorage storage = read.storage();
            return new LaunchResult(new LaunchOutcome.ReadPlatformStorage(storage.target(), storage.origin(),
                    read.storageKey(), request.idToken(), request.state()), null);
        }
        LoginState state = states.verify(read, request.cookies(), request.storageProof());
        return new LaunchResult(dispatch(request, state), state);
    }

    private LaunchOutcome dispatch(LaunchRequest request, LoginState state) {
        Registration registration = registrations.find(state.registrationId())
                .filter(Registration::hasPlatformDetails)
                .orElseThrow(() -> Rejection.badRequest("unknown_registration",
                        "the registration this login started with no longer exists"));
        VerifiedIdToken token = validator.validate(request.idToken(), registration, state);
        MessageHandler handler = handlers.get(token.messageType());
        if (handler == null) {
            throw Rejection.badRequest("unknown_message_type", "the LTI message type '" + token.messageType()
                    + "' is not one this tool handles");
        }
        Optional<Deployment> deployment = registrations.findDeployment(registration.id, token.deploymentId());
        if (deployment.isEmpty() && registration.unknownDeploymentPolicy != UnknownDeploymentPolicy.ADD) {
            throw Rejection.badRequest("unknown_deployment", "unknown deployment '" + token.deploymentId()
                    + "' for platform '" + registration.issuer + "': add it to the registration '" + registration.name
                    + "' or let the registration add unknown deployments");
        }
        MessageHandler.Admittance admittance = handler.accept(token,
                new MessageHandler.LaunchContext(registration.id, request.cookies(), request.baseUrl()));
        // everything is valid: from here on the launch is written, a returning user's in one statement
        LaunchNonce nonce = nonces.forIdToken(token.nonce(), token.expiresAt());
        if (deployment.isPresent()) {
            Optional<LaunchOutcome> written = admittance.admitInOneStatement(deployment.get(), nonce);
            if (written.isPresent()) {
                return written.get();
            }
        }
        // any other in one transaction
        return QuarkusTransaction.requiringNew().call(() -> {
            nonces.consume(nonce);
            return admittance.admit(deployment.orElseGet(
                    () -> registrations.addSeenDeployment(registration, token.deploymentId())));
        });
    }
}
