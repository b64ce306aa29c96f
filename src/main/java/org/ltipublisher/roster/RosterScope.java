package org.ltipublisher.roster;

import java.util.UUID;

import org.ltipublisher.resources.PublishedResource;

/** One roster being read: which run, resource and context, and whether it is a differences read. */
record RosterScope(UUID runId, PublishedResource resource, UUID contextRowId, String issuer, boolean differences) {
}
