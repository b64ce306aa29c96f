package org.ltipublisher.resources;

import java.util.List;
import java.util.UUID;

/**
 * Where a launch happened, as the platform's claims describe it: what the resource-link and context
 * records keep for the grade and roster work.
 */
public record LaunchPlacement(UUID deploymentRowId, UUID resourceId, String resourceLinkId, String resourceLinkTitle,
        String contextId, String contextLabel, String contextTitle, List<String> contextTypes,
        String membershipsUrl, String lineItemsUrl, String lineItemUrl, List<String> agsScopes) implements Placement {
}
