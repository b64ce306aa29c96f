package org.ltipublisher.launch;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import org.ltipublisher.admission.LaunchNonce;
import org.ltipublisher.admission.LaunchOutcome;
import org.ltipublisher.lti.AdvertisedMessage;
import org.ltipublisher.registration.Deployment;

/**
 * One LTI message type (LTI Core §5.3.1 message_type): its typed claims, their validation and its flow.
 * {@link LaunchService} finds handlers by CDI and dispatches on the verified token's message type, so a new
 * type is one bean (plus its template); being an {@link AdvertisedMessage}, it is advertised in dynamic
 * registration too.
 */
public interface MessageHandler extends AdvertisedMessage {

    /**
     * Checks the type's own claims and whatever can be checked by reading (no writes), and returns what
     * admits the launch. A {@link org.ltipublisher.web.Rejection} here refuses the launch with nothing stored.
     */
    Admittance accept(VerifiedIdToken token, LaunchContext context);

    /** The browser and registration the message arrived with. */
    record LaunchContext(UUID registrationId, Function<String, String> cookies, String baseUrl) {
    }

    /**
     * The writing half, run in the launch's transaction after the nonce is consumed and the deployment
     * recorded: a rejection rolls everything back, nonce included.
     */
    @FunctionalInterface
    interface Admittance {
        LaunchOutcome admit(Deployment deployment);

        /**
         * The launch written in one statement that spends its nonce too, without a transaction (a returning
         * user's launch into a resource); empty when it takes {@link #admit} instead, with nothing written and
         * the nonce left to the transaction (spent already only if the user was unlinked meanwhile).
         */
        default Optional<LaunchOutcome> admitInOneStatement(Deployment deployment, LaunchNonce nonce) {
            return Optional.empty();
        }
    }
}
