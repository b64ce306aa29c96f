package org.ltipublisher.resources;

import org.ltipublisher.lti.ToolPaths;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.quarkus.narayana.jta.QuarkusTransaction;

import org.ltipublisher.LtiConfig;
import org.ltipublisher.accounts.ProvisioningMode;
import org.ltipublisher.db.ShortLivedCache;
import org.ltipublisher.resources.ResourceDtos.ResourceRequest;
import org.ltipublisher.resources.ResourceDtos.ResourceView;
import org.ltipublisher.web.Rejection;

/** Publishing content as an LTI tool: each resource gets a launch URL and the custom property {@code id}. */
@ApplicationScoped
public class PublishedResourceService {

    public static final String LAUNCH_PATH_PREFIX = ToolPaths.RESOURCE_LAUNCH_PREFIX;

    /** Largest maxGrade: scores and maxima are numeric(12, 4) columns, and no gradebook needs more. */
    public static final BigDecimal MAX_GRADE_LIMIT = BigDecimal.valueOf(1_000_000);

    private final PublishedResourceRepository resources;
    private final ContentCredentials credentials;
    private final ContentTree tree;
    private final Clock clock;
    /** Launch lookups; entries are detached entities, read but never changed. */
    private final ShortLivedCache<UUID, PublishedResource> byId;

    public PublishedResourceService(PublishedResourceRepository resources, ContentCredentials credentials,
            ContentTree tree, LtiConfig config, Clock clock) {
        this.resources = resources;
        this.credentials = credentials;
        this.tree = tree;
        this.clock = clock;
        this.byId = new ShortLivedCache<>(config.lookupCacheTtl(), clock);
    }

    @Transactional
    public ResourceView create(ResourceRequest request, String baseUrl) {
        return create(request, null, baseUrl);
    }

    /** Publishes a child of {@code parentId} (POST /resources/{id}/children): the request's parentId is ignored. */
    @Transactional
    public ResourceView createChild(UUID parentId, ResourceRequest request, String baseUrl) {
        tree.lockTree();
        require(parentId);
        return create(request, parentId, baseUrl);
    }

    private ResourceView create(ResourceRequest request, UUID parentId, String baseUrl) {
        tree.lockTree();
        byId.clear();
        PublishedResource resource = new PublishedResource();
        resource.id = UUID.randomUUID();
        resource.createdAt = clock.instant();
        apply(resource, request);
        UUID parent = parentId != null ? parentId
                : request.parentId() == null || request.parentId().isBlank() ? null : tree.parentFrom(request.parentId());
        tree.place(resource, parent, request.position(), true);
        resources.persist(resource);
        resources.flush(); // the content credential row references it
        return view(resource, baseUrl).withContentCredential(credentials.issue(resource.id));
    }

    /** A new content credential for the resource; the previous one stops working at once. */
    @Transactional
    public ResourceDtos.ContentCredentialView rotateContentCredential(UUID id) {
        return credentials.issue(require(id).id);
    }

    @Transactional
    public ResourceView update(UUID id, ResourceRequest request, String baseUrl) {
        tree.lockTree();
        byId.clear();
        PublishedResource resource = require(id);
        apply(resource, request);
        if (request.parentId() != null) {
            tree.place(resource, request.parentId().isBlank() ? null : tree.parentFrom(request.parentId()),
                    request.position(), false);
        } else if (request.position() != null && resource.parentId != null) {
            tree.place(resource, resource.parentId, request.position(), false);
        }
        return view(resource, baseUrl);
    }

    /** Unpublishes a resource and everything under it; links into them show "unknown resource" afterwards. */
    @Transactional
    public void delete(UUID id) {
        tree.lockTree();
        byId.clear();
        PublishedResource resource = require(id);
        tree.remove(resource);
        resources.delete(resource);
    }

    @Transactional
    public ResourceView setEnabled(UUID id, boolean enabled, String baseUrl) {
        byId.clear();
        PublishedResource resource = require(id);
        resource.enabled = enabled;
        resource.updatedAt = clock.instant();
        return view(resource, baseUrl);
    }

    @Transactional
    public List<ResourceView> list(String baseUrl) {
        return resources.listByTitle().stream().map(r -> view(r, baseUrl)).toList();
    }

    /** Every resource, each tree depth-first in sibling order under its root; roots by title (the console's list). */
    @Transactional
    public List<ResourceDtos.OutlineRow> outline(String baseUrl) {
        List<ResourceView> all = list(baseUrl);
        Map<UUID, ResourceView> byResource = new java.util.HashMap<>();
        all.forEach(v -> byResource.put(v.id(), v));
        List<ResourceDtos.OutlineRow> rows = new java.util.ArrayList<>();
        all.stream().filter(v -> v.tree().parentId() == null || !byResource.containsKey(v.tree().parentId()))
                .forEach(root -> addSubtree(root, 0, byResource, rows));
        return rows;
    }

    private static void addSubtree(ResourceView node, int depth, Map<UUID, ResourceView> byResource,
            List<ResourceDtos.OutlineRow> rows) {
        rows.add(new ResourceDtos.OutlineRow(depth, node));
        for (UUID child : node.tree().children()) {
            ResourceView view = byResource.get(child);
            if (view != null && depth < ContentTree.MAX_DEPTH) {
                addSubtree(view, depth + 1, byResource, rows);
            }
        }
    }

    @Transactional
    public ResourceView get(UUID id, String baseUrl) {
        return view(require(id), baseUrl);
    }

    /** Cached: a launch finds its resource without starting a transaction. */
    public Optional<PublishedResource> find(UUID id) {
        return byId.get(id, () -> QuarkusTransaction.joiningExisting().call(() -> resources.findByIdOptional(id)));
    }

    /** The resource a launch names, refused clearly when it is gone or disabled (any LTI version). */
    public PublishedResource launchable(UUID id) {
        PublishedResource resource = find(id).orElseThrow(() -> Rejection.notFound("unknown_resource",
                "no published resource with id " + id + ": it may have been deleted"));
        if (!resource.enabled) {
            throw Rejection.forbidden("resource_disabled", "the resource '" + resource.title + "' is disabled");
        }
        return resource;
    }

    public static String launchPath(UUID id) {
        return LAUNCH_PATH_PREFIX + id;
    }

    private void apply(PublishedResource resource, ResourceRequest request) {
        if (request == null) {
            throw Rejection.unprocessable("missing_body", "title and kind are required");
        }
        if (request.title() == null || request.title().isBlank()) {
            throw Rejection.unprocessable("missing_field", "title is required");
        }
        if (request.title().length() > 255) {
            throw Rejection.unprocessable("invalid_title", "title is longer than 255 characters");
        }
        resource.title = request.title().trim();
        resource.kind = parseKind(request.kind());
        resource.contentUrl = contentUrl(request.contentUrl());
        resource.maxGrade = maxGrade(request.maxGrade());
        resource.gradeSync = Boolean.TRUE.equals(request.gradeSync());
        resource.memberSync = Boolean.TRUE.equals(request.memberSync());
        resource.studentProvisioning = mode("studentProvisioning", request.studentProvisioning(), ProvisioningMode.AUTO);
        resource.teacherProvisioning = mode("teacherProvisioning", request.teacherProvisioning(), ProvisioningMode.PROMPT);
        if (request.enabled() != null) {
            resource.enabled = request.enabled();
        }
        if (request.weight() != null) {
            resource.weight = weight(request.weight());
        }
        if (request.incompleteGrades() != null) {
            resource.incompleteGrades = IncompleteGrades.fromWire(request.incompleteGrades().trim()).orElseThrow(() ->
                    Rejection.unprocessable("invalid_incomplete_grades", "incompleteGrades must be send-partial or "
                            + "only-when-complete"));
        }
        EnrolmentSettings.apply(resource, request);
        resource.updatedAt = clock.instant();
    }

    private static ResourceKind parseKind(String kind) {
        if (kind == null || kind.isBlank()) {
            throw Rejection.unprocessable("missing_field", "kind is required: course, section, unit, activity or problem");
        }
        try {
            return ResourceKind.valueOf(kind.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw Rejection.unprocessable("invalid_kind", "kind '" + kind + "' is not one of " + String.join(", ",
                    java.util.Arrays.stream(ResourceKind.values()).map(k -> k.name().toLowerCase(Locale.ROOT)).toList()));
        }
    }

    private static ProvisioningMode mode(String field, String value, ProvisioningMode fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        return ProvisioningMode.fromWire(value.trim()).orElseThrow(() -> Rejection.unprocessable("invalid_provisioning",
                field + " '" + value + "' is not one of " + ProvisioningMode.allowed()));
    }

    private static BigDecimal maxGrade(BigDecimal value) {
        if (value == null) {
            return BigDecimal.valueOf(100);
        }
        // digits before the point, computed without expanding the number (1e100000000 is 26 bytes of JSON)
        if (value.signum() <= 0 || value.precision() - value.scale() > 7 || value.compareTo(MAX_GRADE_LIMIT) > 0) {
            throw Rejection.unprocessable("invalid_max_grade", "maxGrade must be greater than 0 and at most "
                    + MAX_GRADE_LIMIT);
        }
        if (value.scale() > 4) {
            throw Rejection.unprocessable("invalid_max_grade", "maxGrade has more than 4 decimal places");
        }
        return value;
    }

    private static BigDecimal weight(BigDecimal value) {
        if (value.signum() < 0 || value.precision() - value.scale() > 7 || value.compareTo(MAX_GRADE_LIMIT) > 0
                || value.scale() > 4) {
            throw Rejection.unprocessable("invalid_weight", "weight must be from 0 to " + MAX_GRADE_LIMIT
                    + " with at most 4 decimal places");
        }
        return value;
    }

    private static String contentUrl(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            URI uri = new URI(value.trim());
            if (uri.isAbsolute() && uri.getHost() != null
                    && ("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))) {
                return uri.toString();
            }
        } catch (URISyntaxException e) {
            // fall through to the rejection
        }
        throw Rejection.unprocessable("invalid_url", "contentUrl must be an absolute http(s) URL: '" + value + "'");
    }

    private PublishedResource require(UUID id) {
        return resources.findByIdOptional(id)
                .orElseThrow(() -> Rejection.notFound("unknown_resource", "no published resource with id " + id));
    }

    private ResourceView view(PublishedResource r, String baseUrl) {
        return new ResourceView(r.id, r.title, r.kind.name().toLowerCase(Locale.ROOT), r.contentUrl, r.maxGrade,
                r.gradeSync, r.memberSync, r.studentProvisioning.wireName(), r.teacherProvisioning.wireName(), r.enabled,
                baseUrl + launchPath(r.id), "id=" + r.id, Map.of("id", r.id.toString()), r.createdAt, r.updatedAt,
                null, new ResourceDtos.TreePlace(r.parentId, r.position, r.weight, r.incompleteGrades.wireName(),
                        tree.children(r.id)), r.enrolStartsAt, r.enrolEndsAt,
                r.enrolPeriodSeconds == null ? null : java.time.Duration.ofSeconds(r.enrolPeriodSeconds).toString(),
                r.maxEnrolled, r.memberSyncMode.wireName(), r.defaultLanguage, r.defaultTimezone,
                r.defaultInstitution);
    }
}
