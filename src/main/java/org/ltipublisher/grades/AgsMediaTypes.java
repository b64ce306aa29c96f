package org.ltipublisher.grades;

import java.util.Set;

/** AGS 2.0 media types and scopes (AGS §3.2, §3.4; digest §6, §8). */
final class AgsMediaTypes {

    static final String LINE_ITEM = "application/vnd.ims.lis.v2.lineitem+json";
    static final String LINE_ITEM_CONTAINER = "application/vnd.ims.lis.v2.lineitemcontainer+json";
    static final String SCORE = "application/vnd.ims.lis.v1.score+json";

    static final String SCOPE_LINE_ITEM = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem";
    static final String SCOPE_LINE_ITEM_READ = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly";
    static final String SCOPE_SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score";
    static final Set<String> ALL = Set.of(SCOPE_LINE_ITEM, SCOPE_LINE_ITEM_READ, SCOPE_SCORE);

    /** Tag of the line items this tool creates. */
    static final String TAG = "grade";

    private AgsMediaTypes() {
    }

    /** The AGS scopes the launch granted (request only those, digest §6), or all of ours if it named none. */
    static Set<String> granted(String agsScopes) {
        if (agsScopes == null || agsScopes.isBlank()) {
            return Set.of(SCOPE_LINE_ITEM, SCOPE_SCORE);
        }
        Set<String> granted = new java.util.TreeSet<>();
        for (String scope : agsScopes.split(" ")) {
            if (ALL.contains(scope)) {
                granted.add(scope);
            }
        }
        return granted.isEmpty() ? Set.of(SCOPE_SCORE) : granted;
    }
}
