package org.ltipublisher.console;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;
import org.ltipublisher.web.HttpLayerFailures;
import org.ltipublisher.web.Rejection;

import io.quarkus.security.AuthenticationCompletionException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * A sign-in with the identity provider that quarkus-oidc could not complete (the provider refused the code or its
 * PKCE verifier, the ID token failed verification) is answered with the tool's 401 page naming where to start again,
 * instead of quarkus-oidc's empty 401. Its own checks come first: this handler only sees the failure it raised.
 */
@ApplicationScoped
public class ConsoleOidcFailures {

    private static final Logger LOG = Logger.getLogger(ConsoleOidcFailures.class);

    private final HttpLayerFailures failures;

    public ConsoleOidcFailures(HttpLayerFailures failures) {
        this.failures = failures;
    }

    void install(@Observes Router router) {
        // after HttpLayerFailures (Integer.MIN_VALUE), which leaves security failures alone, before Quarkus' handler
        router.route("/console/oidc/signin").order(-150).failureHandler(this::answer);
    }

    void answer(RoutingContext context) {
        Throwable failure = context.failure();
        while (failure != null && failure.getCause() != null && !(failure instanceof AuthenticationCompletionException)) {
            failure = failure.getCause();
        }
        if (!(failure instanceof AuthenticationCompletionException) || context.response().headWritten()) {
            context.next();
            return;
        }
        LOG.infof("console OIDC sign-in refused reason=oidc_sign_in_failed cause=%s", failure.getMessage());
        failures.render(context, Rejection.unauthorized("oidc_sign_in_failed", "the sign-in with your identity "
                + "provider could not be completed (the provider refused this sign-in's code, or its answer could not "
                + "be verified). Start again from the console's sign-in page, /console/signin."));
    }
}
