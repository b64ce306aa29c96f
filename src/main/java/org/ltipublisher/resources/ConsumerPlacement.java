package org.ltipublisher.resources;

import java.util.List;
import java.util.UUID;

/**
 * Where an LTI 1.1 launch happened: like {@link LaunchPlacement}, but owned by a consumer (1.1 has no
 * deployments) and without the LTI Advantage service endpoints.
 */
public record ConsumerPlacement(UUID consumerRowId, UUID resourceId, String resourceLinkId, String resourceLinkTitle,
        String contextId, String contextLabel, String contextTitle, List<String> contextTypes) implements Placement {
}
