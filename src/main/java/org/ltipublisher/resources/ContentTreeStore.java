package org.ltipublisher.resources;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.db.JdbcTemplate;

/** Walks of the content tree that need recursive SQL (read only; edits go through {@link ContentTree}). */
@ApplicationScoped
public class ContentTreeStore {

    private final JdbcTemplate sql;

    public ContentTreeStore(JdbcTemplate sql) {
        this.sql = sql;
    }

    /** The resource and its ancestors, nearest first, up to the root (bounded: a corrupt cycle cannot loop). */
    public List<UUID> selfAndAncestors(UUID id) {
        return sql.list("""
                with recursive up(id, parent_id, depth) as (
                    select id, parent_id, 0 from published_resource where id = ?
                    union all
                    select p.id, p.parent_id, up.depth + 1 from published_resource p join up on p.id = up.parent_id
                    where up.depth < 64)
                select id from up order by depth
                """, row -> row.getObject("id", UUID.class), id);
    }

    public boolean hasChildren(UUID id) {
        return sql.queryOne("select exists (select 1 from published_resource where parent_id = ?) as has_children",
                row -> row.getBoolean("has_children"), id).orElse(false);
    }
}
