package org.ltipublisher.console;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

/** Console pages need a live console session; without one the browser is sent to the sign-in page. */
@ApplicationScoped
public class ConsoleAccess {

    private final ConsoleSessions sessions;

    public ConsoleAccess(ConsoleSessions sessions) {
        this.sessions = sessions;
    }

    public ConsoleAdmin require(String cookie) {
        return sessions.admin(cookie).orElseThrow(() -> new WebApplicationException(
                Response.seeOther(java.net.URI.create("/console/signin")).build()));
    }

    /** The tool's root has no page of its own: it leads to the console. */
    void root(@jakarta.enterprise.event.Observes io.vertx.ext.web.Router router) {
        router.get("/").handler(rc -> rc.redirect("/console"));
    }
}
