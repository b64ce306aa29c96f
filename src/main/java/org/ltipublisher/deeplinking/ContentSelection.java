package org.ltipublisher.deeplinking;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.resources.PublishedResourceService;
import org.ltipublisher.resources.ResourceDtos.ResourceView;
import org.ltipublisher.web.Rejection;

/**
 * Content selection for a deep linking request (Deep Linking 2.0 §4): checks that this tool can answer what
 * the platform accepts, lists the published resources, and turns the teacher's choice into the signed
 * response the browser posts back to the platform.
 */
@ApplicationScoped
public class ContentSelection {

    public static final String LTI_RESOURCE_LINK = "ltiResourceLink";

    private final SelectionTokens tokens;
    private final PublishedResourceService resources;
    private final DeepLinkingResponseBuilder responses;

    public ContentSelection(SelectionTokens tokens, PublishedResourceService resources,
            DeepLinkingResponseBuilder responses) {
        this.tokens = tokens;
        this.resources = resources;
        this.responses = responses;
    }

    /** One published resource on the selection page. */
    /** {@code depth}: 0 for a root, 1 for its children…; options come in tree order (content tree, issue 13). */
    public record Option(UUID id, String title, String kind, boolean gradable, String maxGrade, int depth) {
    }

    /** The selection page: {@code multiple} picks checkboxes over radio buttons. */
    public record SelectionPage(String selectionToken, String platformIssuer, List<Option> options, boolean multiple,
            boolean lineItems, String error) {
    }

    /** The auto-posting page that carries the response JWT to the platform (Deep Linking 2.0 §4.5). */
    public record AutoPost(String returnUrl, String jwt, int itemCount) {
    }

    /**
     * Checks the request can be answered at all (before anything is stored for the launch) and returns the
     * unbound selection token. Refuses when the platform accepts no ltiResourceLink, or only presentation
     * targets a launch cannot use (§4.4.1 accept_types, accept_presentation_document_targets).
     */
    public String begin(DeepLinkingRequest request, UUID registrationId) {
        DeepLinkingSettings settings = request.settings();
        if (!settings.acceptTypes().contains(LTI_RESOURCE_LINK)) {
            throw Rejection.badRequest("deep_linking_type_not_accepted", "the platform accepts only "
                    + settings.acceptTypes() + " here, and this tool can only return LTI resource links "
                    + "(ltiResourceLink); add the content from a place in the course that accepts LTI links");
        }
        List<String> targets = settings.acceptPresentationDocumentTargets();
        if (!targets.isEmpty() && !targets.contains("iframe") && !targets.contains("window")) {
            throw Rejection.badRequest("deep_linking_target_not_accepted", "the platform accepts only "
                    + targets + " as presentation, and LTI resource links open in an iframe or a window");
        }
        return tokens.sign(new DeepLinkingSelection(registrationId, request.token().issuer(),
                request.token().clientId(), request.token().deploymentId(), settings, null));
    }

    /** The same selection, now for the account the platform user is linked to. */
    public String bind(String unboundToken, UUID accountId) {
        return tokens.sign(tokens.verify(unboundToken).boundTo(accountId));
    }

    public SelectionPage page(String token) {
        return page(bound(token), token, null);
    }

    /**
     * The teacher's answer. {@code cancel}: an empty content_items (§4.5: "no item selected"). Otherwise
     * the chosen resources; a choice the request does not allow is refused, a missing choice shows the page again.
     */
    public Answer respond(String token, boolean cancel, List<String> chosenIds, List<String> gradebookIds,
            String baseUrl) {
        DeepLinkingSelection selection = bound(token);
        if (cancel) {
            return new Answer(null, new AutoPost(selection.settings().returnUrl(),
                    responses.sign(selection, List.of(), "No content was added"), 0));
        }
        List<String> ids = chosenIds == null ? List.of() : chosenIds.stream().filter(s -> !s.isBlank()).distinct().toList();
        if (ids.isEmpty()) {
            return new Answer(page(selection, token, "Choose at least one resource, or cancel."), null);
        }
        if (ids.size() > 1 && !selection.settings().acceptMultiple()) {
            throw Rejection.badRequest("multiple_not_accepted", "the platform accepts only one item here, and "
                    + ids.size() + " were chosen");
        }
        Set<String> gradebook = new HashSet<>(gradebookIds == null ? List.of() : gradebookIds);
        boolean newWindow = !selection.settings().acceptPresentationDocumentTargets().isEmpty()
                && !selection.settings().acceptPresentationDocumentTargets().contains("iframe");
        List<DeepLinkingResponseBuilder.ChosenLink> links = new ArrayList<>();
        for (String id : ids) {
            ResourceView resource = resource(id, baseUrl);
            boolean lineItem = selection.lineItemsAccepted() && gradable(resource) && gradebook.contains(id);
            links.add(new DeepLinkingResponseBuilder.ChosenLink(resource.id(), resource.title(), resource.kind(),
                    resource.launchUrl(), resource.maxGrade(), lineItem, newWindow));
        }
        return new Answer(null, new AutoPost(selection.settings().returnUrl(), responses.sign(selection, links, null),
                links.size()));
    }

    /** Either the page again (with an error) or the response to post. */
    public record Answer(SelectionPage page, AutoPost post) {
    }

    private DeepLinkingSelection bound(String token) {
        DeepLinkingSelection selection = tokens.verify(token);
        if (selection.accountId() == null) {
            throw Rejection.forbidden("account_required", "choosing content needs a linked account; "
                    + "start again from the platform and sign in when asked");
        }
        return selection;
    }

    private SelectionPage page(DeepLinkingSelection selection, String token, String error) {
        List<Option> options = new ArrayList<>();
        List<ResourceView> enabled = resources.list("").stream().filter(ResourceView::enabled).toList();
        Map<UUID, List<ResourceView>> children = new HashMap<>();
        Set<UUID> shown = new HashSet<>();
        enabled.forEach(r -> shown.add(r.id()));
        for (ResourceView r : enabled) {
            if (r.tree() != null && r.tree().parentId() != null && shown.contains(r.tree().parentId())) {
                children.computeIfAbsent(r.tree().parentId(), k -> new ArrayList<>()).add(r);
            }
        }
        children.values().forEach(list -> list.sort(Comparator.comparingInt(r -> r.tree().position())));
        for (ResourceView r : enabled) { // roots by title, as listed; a child of a disabled node shows as a root
            if (r.tree() == null || r.tree().parentId() == null || !shown.contains(r.tree().parentId())) {
                addInTreeOrder(r, 0, children, options);
            }
        }
        return new SelectionPage(token, selection.platformIssuer(), options, selection.settings().acceptMultiple(),
                selection.lineItemsAccepted(), error);
    }

    private ResourceView resource(String id, String baseUrl) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id.trim());
        } catch (IllegalArgumentException e) {
            throw Rejection.badRequest("unknown_resource", "'" + id + "' is not a published resource id");
        }
        ResourceView resource = resources.get(uuid, baseUrl);
        if (!resource.enabled()) {
            throw Rejection.badRequest("resource_disabled", "the resource '" + resource.title() + "' was disabled meanwhile");
        }
        return resource;
    }

    /** Every node is offered: launched and deep-linked like a leaf, graded from its leaves. */
    private static void addInTreeOrder(ResourceView r, int depth, Map<UUID, List<ResourceView>> children,
            List<Option> options) {
        options.add(new Option(r.id(), r.title(), r.kind(), gradable(r), r.maxGrade().stripTrailingZeros()
                .toPlainString(), depth));
        if (depth < 64) {
            for (ResourceView child : children.getOrDefault(r.id(), List.of())) {
                addInTreeOrder(child, depth + 1, children, options);
            }
        }
    }

    /** A leaf with a maximum, or a node (its grade is computed from its graded leaves). */
    private static boolean gradable(ResourceView resource) {
        return resource.maxGrade() != null && resource.maxGrade().compareTo(BigDecimal.ZERO) > 0;
    }
}
