package org.ltipublisher.provenance;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.db.JdbcTemplate;

/**
 * The platform or consumer behind resource links and contexts (issue 12: the same learner enrolled through a
 * 1.3 registration and a 1.1 consumer shows as two rows, each naming where it came from). Reads only.
 */
@ApplicationScoped
public class PlatformSources {

    private static final String OWNERS = """
            select x.id as row_id, r.issuer, r.client_id, d.deployment_id, r.name as registration_name,
                   k.consumer_key, k.name as consumer_name
            from %s x left join deployment d on d.id = x.deployment_id
                      left join registration r on r.id = d.registration_id
                      left join lti_consumer k on k.id = x.consumer_id
            where x.id = any(string_to_array(?, ',')::uuid[])
            """;

    private final JdbcTemplate sql;

    public PlatformSources(JdbcTemplate sql) {
        this.sql = sql;
    }

    /** By resource link row id; links without a known owner are left out. */
    public Map<UUID, PlatformSource> ofLinks(Collection<UUID> linkRowIds) {
        return owners("resource_link", linkRowIds);
    }

    /** By context row id; contexts without a known owner are left out. */
    public Map<UUID, PlatformSource> ofContexts(Collection<UUID> contextRowIds) {
        return owners("lti_context", contextRowIds);
    }

    private Map<UUID, PlatformSource> owners(String table, Collection<UUID> ids) {
        String joined = ids.stream().filter(Objects::nonNull).map(UUID::toString).distinct()
                .collect(Collectors.joining(","));
        Map<UUID, PlatformSource> sources = new HashMap<>();
        if (joined.isEmpty()) {
            return sources;
        }
        sql.list(OWNERS.formatted(table), row -> {
            PlatformSource source = PlatformSource.of(row);
            if (source != null) {
                sources.put(row.getObject("row_id", UUID.class), source);
            }
            return source;
        }, joined);
        return sources;
    }
}
