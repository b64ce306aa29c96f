package org.ltipublisher.registration;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.LtiConfig;
import org.ltipublisher.db.ShortLivedCache;
import org.ltipublisher.db.Sql;

/**
 * The origins of the platforms that may show the tool's pages in a frame (CSP {@code frame-ancestors}):
 * issuer and authentication request URL of every registration that can launch (platform details and a
 * deployment, or the policy that adds deployments on first launch). Read at most once per cache period per
 * replica; registration changes on this replica clear it at once.
 */
@ApplicationScoped
public class FramingOrigins {

    private final Sql sql;
    private final ShortLivedCache<Boolean, List<String>> cache;

    public FramingOrigins(Sql sql, LtiConfig config, Clock clock) {
        this.sql = sql;
        this.cache = new ShortLivedCache<>(config.lookupCacheTtl(), clock);
    }

    /** Distinct {@code scheme://host[:port]} values, sorted. */
    public List<String> origins() {
        return cache.get(Boolean.TRUE, () -> Optional.of(sql.list("""
                select r.issuer, r.authentication_request_url from registration r
                where r.issuer is not null and r.authentication_request_url is not null
                  and (r.unknown_deployment_policy = 'ADD'
                       or exists (select from deployment d where d.registration_id = r.id))
                """, row -> List.of(Objects.toString(row.getString(1), ""), Objects.toString(row.getString(2), "")))
                .stream().flatMap(List::stream).flatMap(FramingOrigins::origin).distinct().sorted().toList()))
                .orElse(List.of());
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
