package org.ltipublisher.platform;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Calls from the tool to a platform's services (token endpoint, AGS, NRPS). */
@ConfigMapping(prefix = "lti.platform")
public interface PlatformConfig {

    /** Total deadline of one call (connect, send, the whole answer). */
    @WithDefault("10s")
    Duration callTimeout();

    /** Lifetime of the client assertion JWT (Security Framework §4.1: short; at most 5 minutes). */
    @WithDefault("60s")
    Duration assertionTtl();

    /** A cached access token is dropped this long before it expires. */
    @WithDefault("60s")
    Duration tokenRefreshMargin();

    /** At most this many calls to one platform at once from one replica. */
    @WithDefault("8")
    int maxConcurrentPerPlatform();
}
