package org.ltipublisher.roster;

import org.ltipublisher.lti.NrpsMediaTypes;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.platform.PlatformCallFailure;
import org.ltipublisher.platform.PlatformHttp;
import org.ltipublisher.platform.PlatformHttp.Answer;
import org.ltipublisher.platform.PlatformHttp.Call;
import org.ltipublisher.platform.PlatformTarget;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads one page of an NRPS membership container (NRPS §2.2–2.4): members plus its next and differences links. */
@ApplicationScoped
public class MembershipReader {

    public static final String MEDIA_TYPE = NrpsMediaTypes.MEMBERSHIP_CONTAINER;
    public static final Set<String> SCOPES = Set.of(
            NrpsMediaTypes.SCOPE_MEMBERSHIP_READ);

    private final PlatformHttp http;
    private final ObjectMapper json;

    public MembershipReader(PlatformHttp http, ObjectMapper json) {
        this.http = http;
        this.json = json;
    }

    /** One page; only this page is held in memory. */
    public record Page(List<NrpsMember> members, Optional<String> next, Optional<String> differences) {
    }

    public Page read(PlatformTarget platform, String url) {
        Answer answer = http.send(platform, SCOPES, Call.get(url, MEDIA_TYPE, "the memberships service " + url));
        JsonNode container;
        try {
            container = json.readTree(answer.body());
        } catch (IOException e) {
            throw new PlatformCallFailure(answer.status(), true, null, url + " answered with invalid JSON: " + e.getMessage());
        }
        JsonNode members = container.path("members");
        if (!members.isArray()) {
            throw new PlatformCallFailure(answer.status(), true, null, url + " answered without a members array");
        }
        List<NrpsMember> page = new ArrayList<>(members.size());
        for (JsonNode m : members) {
            String userId = m.path("user_id").asText(null);
            if (userId == null || userId.isBlank()) {
                continue; // a member without user_id cannot be matched to anyone
            }
            List<String> roles = new ArrayList<>();
            m.path("roles").forEach(r -> roles.add(r.asText()));
            page.add(new NrpsMember(userId, text(m, "status"), roles, text(m, "name"), text(m, "given_name"),
                    text(m, "family_name"), text(m, "email")));
        }
        return new Page(page, answer.link("next"), answer.link("differences"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText();
    }
}
