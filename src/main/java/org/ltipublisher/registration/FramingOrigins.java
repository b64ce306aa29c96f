package org.ltipublisher.registration;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.LtiConfig;
import org.ltipublisher.db.ShortLivedCache;
import org.ltipublisher.db.JdbcTemplate;
import org.ltipublisher.web.FrameAncestors;

/**
 * The origins of the platforms that may show the tool's pages in a frame (CSP {@code frame-ancestors}):
 * issuer and authentication request URL of every registration that can launch (platform details and a
 * deployment, or the policy that adds deployments on first launch). A cloud platform whose issuer its
 * customers share (Canvas cloud) runs each school's LMS on a host of its own domain, so the vendor's domain
 * is allowed for it ({@code https://*.instructure.com}); {@code lti.frame-ancestors} adds what registrations
 * cannot tell (a custom LMS domain, Blackboard SaaS). Read at most once per cache period per replica;
 * registration changes on this replica clear it at once.
 */
@ApplicationScoped
public class FramingOrigins implements FrameAncestors {

    /** What a CSP host-source may look like; anything else from configuration is left out. */
    private static final Pattern HOST_SOURCE = Pattern.compile("https?://(\\*\\.)?[A-Za-z0-9.-]+(:[0-9]{1,5})?");

    private final JdbcTemplate sql;
    private final LtiConfig config;
    private final ShortLivedCache<Boolean, List<String>> cache;

    public FramingOrigins(JdbcTemplate sql, LtiConfig config, Clock clock) {
        this.sql = sql;
        this.config = config;
        this.cache = new ShortLivedCache<>(config.lookupCacheTtl(), clock);
    }

    @Override
    public List<String> origins() {
        return cache.get(Boolean.TRUE, () -> Optional.of(load())).orElse(List.of());
    }

    private List<String> load() {
        TreeSet<String> sources = new TreeSet<>();
        sql.list("""
                select r.issuer, r.authentication_request_url from registration r
                where r.issuer is not null and r.authentication_request_url is not null
                  and (r.unknown_deployment_policy = 'ADD'
                       or exists (select from deployment d where d.registration_id = r.id))
                """, row -> List.of(row.getString("issuer"), row.getString("authentication_request_url"))).forEach(urls -> {
            urls.stream().flatMap(FramingOrigins::origin).forEach(sources::add);
            DelegatedIssuers.vendorDomain(urls.get(0)).ifPresent(domain -> sources.add("https://*." + domain));
        });
        config.frameAncestors().orElse(List.of()).stream().map(String::trim)
                .filter(source -> HOST_SOURCE.matcher(source).matches()).forEach(sources::add);
        return List.copyOf(sources);
    }

    void clear() {
        cache.clear();
    }

    /** An http(s) URL's origin (RFC 6454 §6.2) in the form CSP host-sources take; nothing for anything else. */
    private static Stream<String> origin(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
                return Stream.empty();
            }
            return Stream.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT)
                    + (uri.getPort() == -1 ? "" : ":" + uri.getPort()));
        } catch (URISyntaxException e) {
            return Stream.empty();
        }
    }
}
