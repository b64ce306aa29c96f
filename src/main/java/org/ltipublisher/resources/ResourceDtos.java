package org.ltipublisher.resources;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** JSON shapes of the published-resource admin API. */
public final class ResourceDtos {

    private ResourceDtos() {
    }

    /** Create or update; provisioning values: auto, prompt, existing-only, anonymous. */
    public record ResourceRequest(String title, String kind, String contentUrl, BigDecimal maxGrade, Boolean gradeSync,
            Boolean memberSync, String studentProvisioning, String teacherProvisioning, Boolean enabled) {
    }

    public record ResourceView(UUID id, String title, String kind, String contentUrl, BigDecimal maxGrade,
            boolean gradeSync, boolean memberSync, String studentProvisioning, String teacherProvisioning,
            boolean enabled, String launchUrl, String customProperties, Map<String, String> custom,
            Instant createdAt, Instant updatedAt) {
    }
}
