package org.ltipublisher.console;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.ltipublisher.LtiConfig;

import io.quarkus.runtime.StartupEvent;

/**
 * The first start on an empty console_admin table prints a one-time link that sets the first administrator's
 * password. Only one replica prints it (ConsoleAdminStore#offerSetupToken decides), and only its SHA-256 is kept.
 */
@ApplicationScoped
public class ConsoleSetupLink {

    static final String PATH = "/console/setup/";

    private static final Logger LOG = Logger.getLogger(ConsoleSetupLink.class);

    private final ConsoleAdminStore admins;
    private final ConsoleConfig config;
    private final LtiConfig lti;
    private final int port;

    public ConsoleSetupLink(ConsoleAdminStore admins, ConsoleConfig config, LtiConfig lti,
            @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080") int port) {
        this.admins = admins;
        this.config = config;
        this.lti = lti;
        this.port = port;
    }

    void onStart(@Observes StartupEvent event) {
        offer();
    }

    /** Prints a new setup link if no administrator exists and no valid link is pending. */
    public void offer() {
        admins.offerSetupToken().ifPresent(token -> {
            String base = lti.publicUrl().map(u -> u.replaceAll("/+$", "")).orElse("http://localhost:" + port);
            LOG.warnf("No console administrator yet. Set the first one's password within %d minutes, once, at:%n  %s%s%s",
                    config.setupLinkTtl().toMinutes(), base, PATH, token);
        });
    }
}
