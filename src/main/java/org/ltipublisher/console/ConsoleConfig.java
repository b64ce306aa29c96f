package org.ltipublisher.console;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the admin console ({@code lti.console.*}). */
@ConfigMapping(prefix = "lti.console")
public interface ConsoleConfig {

    /** A console session nobody used for this long is over. */
    @WithDefault("30m")
    Duration sessionIdleTimeout();

    /** A console session ends this long after sign-in, however busy. */
    @WithDefault("8h")
    Duration sessionMaxAge();

    /** How long the first start's setup link may be used. */
    @WithDefault("1h")
    Duration setupLinkTtl();

    /** Shortest password a console administrator may set. */
    @WithDefault("12")
    int minPasswordLength();
}
