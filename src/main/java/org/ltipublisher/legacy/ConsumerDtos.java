package org.ltipublisher.legacy;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/** JSON shapes of the consumer admin API. */
public final class ConsumerDtos {

    private ConsumerDtos() {
    }

    /**
     * Create or update a consumer. Key and secret are generated when not given; authMode is one of
     * anonymous (default), auto-link-email, existing-only. {@code enabled} false refuses the consumer's launches.
     */
    public record ConsumerRequest(String name, String consumerKey, String consumerSecret, String authMode,
            Boolean requireUserAccount, Boolean enabled) {

        /** Only the switch: what the console's enable and disable buttons send. */
        public static ConsumerRequest enabled(boolean enabled) {
            return new ConsumerRequest(null, null, null, null, null, enabled);
        }
    }

    /**
     * A consumer as the admin sees it. {@code consumerSecret} is present only in the answer that created
     * (or replaced) it; {@code launchUrlTemplate} is what to paste into the LMS, with a resource id.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ConsumerView(UUID id, String name, String consumerKey, String consumerSecret, String authMode,
            boolean requireUserAccount, boolean enabled, String instanceGuid, String launchUrlTemplate, Instant createdAt,
            Instant updatedAt) {
    }
}
