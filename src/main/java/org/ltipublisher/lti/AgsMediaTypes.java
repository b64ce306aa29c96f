package org.ltipublisher.lti;

import java.util.Set;

/** AGS 2.0 media types and scopes (LTI AGS 2.0 §3.1 scopes, §3.2 line item and §3.4 score media types). */
public final class AgsMediaTypes {

    public static final String LINE_ITEM = "application/vnd.ims.lis.v2.lineitem+json";
    public static final String LINE_ITEM_CONTAINER = "application/vnd.ims.lis.v2.lineitemcontainer+json";
    public static final String SCORE = "application/vnd.ims.lis.v1.score+json";

    public static final String SCOPE_LINE_ITEM = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem";
    public static final String SCOPE_LINE_ITEM_READ = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly";
    public static final String SCOPE_SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score";
    public static final String SCOPE_RESULT_READ = "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly";
    public static final Set<String> ALL = Set.of(SCOPE_LINE_ITEM, SCOPE_LINE_ITEM_READ, SCOPE_SCORE);

    /** Tag of the line items this tool creates. */
    public static final String TAG = "grade";

    private AgsMediaTypes() {
    }

    /** The AGS scopes the launch granted (request only those: Security Framework §4.1, a token's scope never exceeds the grant), or all of ours if it named none. */
    public static Set<String> granted(String agsScopes) {
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
