package org.ltipublisher.roster;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Member sync settings ({@code lti.roster.*}). */
@ConfigMapping(prefix = "lti.roster")
public interface RosterConfig {

    /** How often resources with member sync on read their platform rosters (Moodle: 30 minutes). */
    @WithDefault("30m")
    Duration syncInterval();

    /** NRPS {@code limit}: members asked for per page (the platform may send fewer). */
    @WithDefault("100")
    int pageSize();

    /** A roster larger than this many pages is not read to the end (and so unenrols nobody). */
    @WithDefault("10000")
    int maxPages();
}
