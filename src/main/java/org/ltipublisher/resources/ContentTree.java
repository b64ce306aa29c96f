package org.ltipublisher.resources;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.ltipublisher.web.Rejection;

/**
 * Places published resources in content trees (course → section → unit → activity or problem). Resource
 * edits first take one transaction-scoped advisory lock ({@link #lockTree}), then the parent rows they change
 * (FOR UPDATE): concurrent reorders under one parent take turns, two crossing moves cannot both pass the cycle
 * check, and no two edits wait on each other's sibling rows (a deadlock). Admin edits are rare; this costs nothing.
 */
@ApplicationScoped
public class ContentTree {

    /** Deeper trees than this are refused: no LMS content structure needs more, and every walk stays short. */
    static final int MAX_DEPTH = 16;

    private final PublishedResourceRepository resources;

    public ContentTree(PublishedResourceRepository resources) {
        this.resources = resources;
    }

    /** Key of the advisory lock all resource edits take first (any fixed number; "tree" in ASCII). */
    private static final long TREE_LOCK = 0x74726565L;

    /** Call first in a transaction that edits resources, before any entity is changed (a flush takes row locks). */
    public void lockTree() {
        resources.getEntityManager().createNativeQuery("select 1 from pg_advisory_xact_lock(?1)")
                .setParameter(1, TREE_LOCK).getResultList();
    }

    /** The parent a request names, refused clearly when it is not a published resource. */
    public UUID parentFrom(String value) {
        try {
            UUID id = UUID.fromString(value.trim());
            if (resources.findByIdOptional(id).isEmpty()) {
                throw Rejection.unprocessable("unknown_parent", "parentId " + id + " is not a published resource");
            }
            return id;
        } catch (IllegalArgumentException e) {
            throw Rejection.unprocessable("invalid_parent", "parentId must be a resource id (a UUID) or \"\" for none, "
                    + "not '" + (value.length() > 40 ? value.substring(0, 40) + "…" : value) + "'");
        }
    }

    /**
     * Puts {@code node} under {@code parentId} (null: a root) at {@code position} (null: last), renumbering
     * its old and new siblings. A node cannot go under itself or one of its descendants.
     */
    public void place(PublishedResource node, UUID parentId, Integer position, boolean isNew) {
        if (position != null && position < 0) {
            throw Rejection.unprocessable("invalid_position", "position must be 0 or more, not " + position);
        }
        UUID oldParent = isNew ? null : node.parentId;
        TreeSet<UUID> toLock = new TreeSet<>();
        if (parentId != null) {
            toLock.add(parentId);
        }
        if (oldParent != null) {
            toLock.add(oldParent);
        }
        for (UUID id : toLock) { // the parents whose children are renumbered
            if (resources.findById(id, LockModeType.PESSIMISTIC_WRITE) == null) {
                throw Rejection.unprocessable("unknown_parent", "parentId " + id + " is not a published resource");
            }
        }
        if (parentId != null) {
            refuseCycle(node.id, parentId);
        }
        if (!isNew && oldParent != null && !oldParent.equals(parentId)) {
            renumber(siblings(oldParent, node.id), -1, null);
        }
        node.parentId = parentId;
        if (parentId == null) {
            node.position = 0; // roots are listed by title
            return;
        }
        List<PublishedResource> siblings = siblings(parentId, node.id);
        int at = position == null || position > siblings.size() ? siblings.size() : position;
        renumber(siblings, at, node);
    }

    /** Before a node is deleted (its subtree goes with it): its siblings close the gap. */
    public void remove(PublishedResource node) {
        if (node.parentId != null) {
            resources.findById(node.parentId, LockModeType.PESSIMISTIC_WRITE);
            renumber(siblings(node.parentId, node.id), -1, null);
        }
    }

    public List<UUID> children(UUID id) {
        return resources.list("parentId = ?1 order by position, createdAt", id).stream().map(r -> r.id).toList();
    }

    private void refuseCycle(UUID nodeId, UUID parentId) {
        UUID at = parentId;
        for (int depth = 0; at != null; depth++) {
            if (at.equals(nodeId)) {
                throw Rejection.unprocessable("cycle", "resource " + nodeId + " cannot move under " + parentId
                        + ": that is the resource itself or one of its descendants");
            }
            if (depth >= MAX_DEPTH) {
                throw Rejection.unprocessable("tree_too_deep", "content trees are at most " + MAX_DEPTH + " levels deep");
            }
            PublishedResource up = resources.findById(at);
            at = up == null ? null : up.parentId;
        }
    }

    private List<PublishedResource> siblings(UUID parentId, UUID except) {
        return new ArrayList<>(resources.list("parentId = ?1 order by position, createdAt", parentId).stream()
                .filter(r -> !Objects.equals(r.id, except)).toList());
    }

    /** Numbers siblings 0, 1, …, with {@code inserted} at index {@code at} (when given). */
    private static void renumber(List<PublishedResource> siblings, int at, PublishedResource inserted) {
        if (inserted != null) {
            siblings.add(at, inserted);
        }
        for (int i = 0; i < siblings.size(); i++) {
            siblings.get(i).position = i;
        }
    }
}
