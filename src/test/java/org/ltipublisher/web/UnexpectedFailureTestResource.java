package org.ltipublisher.web;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Test-only endpoints (only in the test build) standing for a bug: an exception nobody expected, as an
 * unforeseen input might cause anywhere. The service must answer with its own page, never the framework's.
 */
@Path("/test-only/failure")
public class UnexpectedFailureTestResource {

    @GET
    @Produces({ MediaType.TEXT_HTML, MediaType.APPLICATION_JSON })
    public String fail() {
        throw new IllegalStateException("a bug the tests put here on purpose");
    }
}
