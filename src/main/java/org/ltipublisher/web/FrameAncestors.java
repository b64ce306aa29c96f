package org.ltipublisher.web;

import java.util.List;

/**
 * The origins allowed to frame the tool's pages (CSP Level 2 {@code frame-ancestors}): the registered platforms'.
 * The registrations feature answers it; the web layer only asks, so it imports no feature package.
 */
public interface FrameAncestors {

    /** Distinct CSP host-sources ({@code scheme://host[:port]}, or a vendor's {@code https://*.domain}), sorted. */
    List<String> origins();
}
