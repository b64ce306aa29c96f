package org.ltipublisher.dev;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.ltipublisher.LtiConfig;

import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;

/** Dev mode only: prints an admin token signed with the dev key in config/dev-admin, for the README's curl lines. */
@IfBuildProfile("dev")
public class DevAdminToken {

    private static final Logger LOG = Logger.getLogger(DevAdminToken.class);

    void print(@Observes StartupEvent event, @ConfigProperty(name = "mp.jwt.verify.issuer") String issuer,
            LtiConfig config) {
        // as long as an admin token may live (lti.admin.max-token-lifetime): a longer one would be refused
        Duration lifetime = config.admin().maxTokenLifetime();
        Path key = Path.of("config", "dev-admin", "private.pem");
        try {
            String token = Jwt.issuer(issuer).upn("dev-admin").groups("admin").expiresIn(lifetime)
                    .sign(KeyUtils.decodePrivateKey(Files.readString(key)));
            LOG.infof("dev admin token (valid %d minutes, dev mode only; restart for a new one):%n  export TOKEN=%s",
                    lifetime.toMinutes(), token);
        } catch (IOException | java.security.GeneralSecurityException e) {
            LOG.warnf("no dev admin token: cannot read %s (%s)", key, e.getMessage());
        }
    }
}
