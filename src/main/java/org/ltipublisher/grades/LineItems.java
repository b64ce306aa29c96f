package org.ltipublisher.grades;

import org.ltipublisher.lti.AgsMediaTypes;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.ltipublisher.db.AdvisoryLocks;
import org.ltipublisher.db.JdbcTemplate;
import org.ltipublisher.platform.PlatformCallFailure;
import org.ltipublisher.platform.PlatformHttp;
import org.ltipublisher.platform.PlatformHttp.Answer;
import org.ltipublisher.platform.PlatformHttp.Call;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The gradebook column of a resource link (AGS §3.2): the launch's {@code lineitem} claim when the
 * platform coupled the link to one; else the one in {@code lineitems} carrying our resourceId and tag;
 * else one we create with the resource's title and maximum. Found or created once per link and kept.
 */
@ApplicationScoped
public class LineItems {

    private static final int MAX_PAGES = 20;

    private final PlatformHttp http;
    private final JdbcTemplate sql;
    private final AdvisoryLocks locks;
    private final ObjectMapper json;
    private final Clock clock;

    public LineItems(PlatformHttp http, JdbcTemplate sql, AdvisoryLocks locks, ObjectMapper json, Clock clock) {
        this.http = http;
        this.sql = sql;
        this.locks = locks;
        this.json = json;
        this.clock = clock;
    }

    /** Where the scores of this delivery's link go. */
    @Transactional
    public String lineItemUrl(Delivery d) {
        if (d.lineItemUrl() != null) {
            return d.lineItemUrl(); // declarative model: the platform made the column (AGS §3.2.2, DL lineItem)
        }
        if (d.boundLineItemUrl() != null) {
            return d.boundLineItemUrl();
        }
        if (d.lineItemsUrl() == null) {
            throw new PlatformCallFailure(0, false, null, "the platform granted no line items service for resource link '"
                    + d.platformLinkId() + "' (no AGS lineitem or lineitems in its launch): it does not accept grades");
        }
        return findOrCreate(d);
    }

    /**
     * Replicas resolving the same link take turns on an advisory lock held across the platform calls, so
     * only one of them creates the column.
     */
    private String findOrCreate(Delivery d) {
        locks.lockForTransaction("ags-line-item:" + d.linkRowId());
        Optional<String> bound = sql.queryOne("select lineitem_url from ags_line_item where resource_link_id = ?",
                row -> row.getString("lineitem_url"), d.linkRowId());
        if (bound.isPresent()) {
            return bound.get();
        }
        boolean created = false;
        String url = find(d).orElse(null);
        if (url == null) {
            url = create(d);
            created = true;
        }
        sql.update("""
                insert into ags_line_item (resource_link_id, lineitem_url, created_by_tool, resolved_at)
                values (?, ?, ?, ?)
                on conflict (resource_link_id) do update set lineitem_url = excluded.lineitem_url,
                    created_by_tool = excluded.created_by_tool, resolved_at = excluded.resolved_at
                """, d.linkRowId(), url, created, clock.instant());
        return url;
    }

    private Optional<String> find(Delivery d) {
        String url = withQuery(d.lineItemsUrl(), "resource_link_id=" + encode(d.platformLinkId())
                + "&resource_id=" + encode(d.resourceId().toString()) + "&tag=" + AgsMediaTypes.TAG);
        for (int page = 0; url != null && page < MAX_PAGES; page++) {
            Answer answer = http.send(d.platform(), AgsMediaTypes.granted(d.agsScopes()),
                    Call.get(url, AgsMediaTypes.LINE_ITEM_CONTAINER, "the line items service " + url));
            JsonNode items = read(answer.body(), url);
            for (JsonNode item : items) {
                // the filters are only hints to the platform (AGS §3.2.4); check the fields ourselves
                boolean ours = d.resourceId().toString().equals(item.path("resourceId").asText(null))
                        && (item.path("resourceLinkId").isMissingNode() || item.path("resourceLinkId").isNull()
                                || d.platformLinkId().equals(item.path("resourceLinkId").asText()));
                if (ours && item.hasNonNull("id")) {
                    return Optional.of(item.get("id").asText());
                }
            }
            url = answer.link("next").orElse(null);
        }
        return Optional.empty();
    }

    private String create(Delivery d) {
        ObjectNode item = json.createObjectNode();
        item.put("label", d.resourceTitle());
        item.put("scoreMaximum", AgsScorePublisher.plain(d.maxGrade()));
        item.put("resourceId", d.resourceId().toString());
        item.put("tag", AgsMediaTypes.TAG);
        item.put("resourceLinkId", d.platformLinkId());
        Answer answer = http.send(d.platform(), AgsMediaTypes.granted(d.agsScopes()), Call.post(d.lineItemsUrl(),
                AgsMediaTypes.LINE_ITEM, AgsMediaTypes.LINE_ITEM, item.toString(),
                "creating a line item at " + d.lineItemsUrl()));
        JsonNode created = read(answer.body(), d.lineItemsUrl());
        if (!created.hasNonNull("id")) {
            throw new PlatformCallFailure(answer.status(), false, null,
                    "the platform created a line item at " + d.lineItemsUrl() + " but answered without its id");
        }
        return created.get("id").asText();
    }

    private JsonNode read(String body, String url) {
        try {
            return json.readTree(body);
        } catch (java.io.IOException e) {
            throw new PlatformCallFailure(200, false, null, url + " answered with invalid JSON: " + e.getMessage());
        }
    }

    /** The scores endpoint of a line item: {@code /scores} goes into the path, before any query (Canvas). */
    static String scoresUrl(String lineItemUrl) {
        int query = lineItemUrl.indexOf('?');
        String path = query < 0 ? lineItemUrl : lineItemUrl.substring(0, query);
        String rest = query < 0 ? "" : lineItemUrl.substring(query);
        return (path.endsWith("/") ? path.substring(0, path.length() - 1) : path) + "/scores" + rest;
    }

    static String withQuery(String url, String query) {
        return url + (url.contains("?") ? "&" : "?") + query;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

}
