package org.ltipublisher.registration;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** JSON shapes of the registration admin API. */
public final class RegistrationDtos {

    private RegistrationDtos() {
    }

    /** Create or update a registration. */
    public record RegistrationRequest(String name, UnknownDeploymentPolicy unknownDeploymentPolicy) {
    }

    /** Moodle's "Platform details" tab. */
    public record PlatformDetails(String issuer, String clientId, String authenticationRequestUrl,
            String accessTokenUrl, String jwksUrl, String tokenAudience) {
    }

    /** Moodle's "Tool details" tab: what the platform administrator enters in the LMS. */
    public record ToolDetails(String domain, String loginUrl, String launchUrl, List<String> redirectUris,
            String deepLinkingUrl, String jwksUrl) {
    }

    public record DeploymentRequest(String deploymentId, String name) {
    }

    public record DeploymentView(UUID id, String deploymentId, String name, boolean autoAdded, Instant createdAt) {
        static DeploymentView of(Deployment d) {
            return new DeploymentView(d.id, d.deploymentId, d.name, d.autoAdded, d.createdAt);
        }
    }

    public record RegistrationView(UUID id, String name, RegistrationStatus status,
            UnknownDeploymentPolicy unknownDeploymentPolicy, PlatformDetails platform, List<DeploymentView> deployments,
            ToolDetails tool, Instant createdAt, Instant updatedAt, String registrationUrl) {

        /** The same view carrying a freshly issued one-time dynamic registration URL. */
        RegistrationView withRegistrationUrl(String url) {
            return new RegistrationView(id, name, status, unknownDeploymentPolicy, platform, deployments, tool,
                    createdAt, updatedAt, url);
        }
    }

    /** A new one-time dynamic registration URL (DR 1.0 §3.1) for the platform administrator to paste into the LMS. */
    public record RegistrationUrlView(String registrationUrl) {
    }
}
