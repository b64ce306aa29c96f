package org.ltipublisher.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.ltipublisher.LtiConfig;
import org.ltipublisher.outbound.AddressPolicy;
import org.ltipublisher.web.Rejection;

/**
 * The production URL policy of dynamic registration (lti.registration.allow-http=false, the default):
 * the Quarkus tests run with allow-http=true for their loopback simulators, so it is checked here.
 */
class PlatformCallsTest {

    static LtiConfig config(boolean allowHttp) {
        LtiConfig.Registration registration = (LtiConfig.Registration) Proxy.newProxyInstance(
                PlatformCallsTest.class.getClassLoader(), new Class<?>[] { LtiConfig.Registration.class },
                (proxy, method, args) -> switch (method.getName()) {
                    case "allowHttp" -> allowHttp;
                    case "fetchTimeout" -> Duration.ofSeconds(2);
                    case "maxResponseBytes" -> 1024;
                    case "tokenTtl" -> Duration.ofHours(1);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (LtiConfig) Proxy.newProxyInstance(PlatformCallsTest.class.getClassLoader(),
                new Class<?>[] { LtiConfig.class }, (proxy, method, args) -> {
                    if (method.getName().equals("registration")) {
                        return registration;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /** The policy as configured in production (nothing exempt) or in dev mode and tests (the loopback simulators). */
    static PlatformCalls calls(boolean allowHttp) {
        return new PlatformCalls(config(allowHttp), null,
                new AddressPolicy(allowHttp, allowHttp ? List.of("127.0.0.1/32", "::1/128") : List.of()));
    }

    private static Rejection refused(PlatformCalls calls, String url) {
        return assertThrows(Rejection.class, () -> calls.checkUrl("the configuration", url, 400));
    }

    @Test
    void productionAcceptsOnlyHttpsOnPublicHosts() {
        PlatformCalls calls = calls(false);

        assertEquals(URI.create("https://moodle.example.org/mod/lti/openid-configuration.php"),
                calls.checkUrl("the configuration", "https://moodle.example.org/mod/lti/openid-configuration.php", 400));
        Rejection http = refused(calls, "http://moodle.example.org/mod/lti/openid-configuration.php");
        assertEquals(400, http.status());
        assertEquals("insecure_platform_url", http.code());
        assertEquals("local_platform_url", refused(calls, "https://127.0.0.1:8443/config").code());
        assertEquals("local_platform_url", refused(calls, "https://localhost/config").code());
        assertEquals("local_platform_url", refused(calls, "https://10.1.2.3/config").code());
        assertEquals("local_platform_url", refused(calls, "https://169.254.169.254/latest/meta-data").code());
        assertEquals("invalid_platform_url", refused(calls, "moodle.example.org/config").code());
        assertEquals("invalid_platform_url", refused(calls, null).code());
    }

    @Test
    void developmentAllowsHttpAndLoopback() {
        PlatformCalls calls = calls(true);

        assertEquals(URI.create("http://127.0.0.1:8080/config"), calls.checkUrl("c", "http://127.0.0.1:8080/config", 400));
        assertEquals("insecure_platform_url", refused(calls, "ftp://127.0.0.1/config").code());
    }

    @Test
    void sameOriginComparesSchemeHostAndEffectivePort() {
        assertEquals(true, PlatformCalls.sameOrigin(URI.create("https://lms.example/a"), URI.create("https://LMS.example:443/b")));
        assertEquals(false, PlatformCalls.sameOrigin(URI.create("https://lms.example/a"), URI.create("http://lms.example/a")));
        assertEquals(false, PlatformCalls.sameOrigin(URI.create("https://lms.example/a"), URI.create("https://evil.example/a")));
    }
}
