package org.ltipublisher.registration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;

import org.junit.jupiter.api.Test;

class DelegatedIssuersTest {

    @Test
    void canvasCloudConfigurationsComeFromTheSchoolsInstructureHost() {
        assertTrue(DelegatedIssuers.servedByVendor("https://canvas.instructure.com",
                URI.create("https://school.instructure.com/api/lti/security/openid-configuration?registration_token=x")));
        assertTrue(DelegatedIssuers.servedByVendor("https://canvas.beta.instructure.com",
                URI.create("https://school.beta.instructure.com/api/lti/security/openid-configuration")));
    }

    @Test
    void nothingElseMaySpeakForAnIssuer() {
        assertFalse(DelegatedIssuers.servedByVendor("https://canvas.instructure.com",
                URI.create("https://evil.example/api/lti/security/openid-configuration")), "foreign host");
        assertFalse(DelegatedIssuers.servedByVendor("https://canvas.instructure.com",
                URI.create("https://notinstructure.com/x")), "look-alike domain");
        assertFalse(DelegatedIssuers.servedByVendor("https://canvas.instructure.com",
                URI.create("http://school.instructure.com/x")), "plain http");
        assertFalse(DelegatedIssuers.servedByVendor("https://moodle.example.edu",
                URI.create("https://school.instructure.com/x")), "only listed issuers are delegated");
    }
}
