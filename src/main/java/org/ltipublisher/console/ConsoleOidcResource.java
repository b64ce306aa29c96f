package org.ltipublisher.console;

import java.net.URI;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestResponse;

import io.quarkus.oidc.OidcSession;

/**
 * The console's entry from the school's identity provider. Only this path runs quarkus-oidc's authorization-code
 * flow (the HTTP permission {@code console-oidc} in application.properties selects the {@code code} mechanism for
 * it, and only while lti.console.oidc.enabled): an unauthenticated GET is sent to the provider, and the provider's
 * answer comes back here, so this method runs with a verified ID token. It opens the console's own session and
 * ends quarkus-oidc's session cookie: from here on the console knows the administrator as it knows local ones.
 */
@Path("/console/oidc")
@Produces(MediaType.TEXT_HTML)
public class ConsoleOidcResource {

    private final ConsoleOidcSignIns signIns;
    private final ConsoleSessions sessions;
    /** quarkus-oidc's session of the current request (its ID token and cookie). */
    private final OidcSession oidcSession;

    public ConsoleOidcResource(ConsoleOidcSignIns signIns, ConsoleSessions sessions,
            OidcSession oidcSession) {
        this.signIns = signIns;
        this.sessions = sessions;
        this.oidcSession = oidcSession;
    }

    @GET
    @Path("/signin")
    public RestResponse<Object> signIn() {
        signIns.requireConfigured();
        try {
            ConsoleAdmin admin = signIns.admin(oidcSession.getIdToken());
            return RestResponse.ResponseBuilder.seeOther(URI.create("/console")).cookie(sessions.open(admin)).build();
        } finally {
            // the identity provider's tokens are not kept: signed in or refused, quarkus-oidc's cookie goes
            oidcSession.logout().await().indefinitely();
        }
    }
}
