package org.ltipublisher.lti;

import java.util.Arrays;
import java.util.List;
import java.util.Set;


/**
 * Maps LTI role URIs (Core Appendix A) to learner / instructor. Full URIs and the deprecated short
 * context forms ("Instructor", "Instructor#TeachingAssistant") both count; a sub-role implies its
 * principal role; unknown roles are ignored, never an error (cert "Instructor with Unknown Role").
 * LTI 1.1 forms count the same: bare names, {@code urn:lti:role:ims/lis/Instructor[/TeachingAssistant]}
 * (context), {@code urn:lti:instrole:ims/lis/Faculty} and {@code urn:lti:sysrole:ims/lis/SysAdmin}.
 */
public final class LtiRoles {

    private static final String MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership#";
    private static final String MEMBERSHIP_SUB = "http://purl.imsglobal.org/vocab/lis/v2/membership/";
    private static final String INSTITUTION = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#";
    private static final String SYSTEM = "http://purl.imsglobal.org/vocab/lis/v2/system/person#";
    private static final String LTI11_CONTEXT = "urn:lti:role:ims/lis/";
    private static final String LTI11_INSTITUTION = "urn:lti:instrole:ims/lis/";
    private static final String LTI11_SYSTEM = "urn:lti:sysrole:ims/lis/";

    /** Context roles that teach or manage a course. */
    private static final Set<String> TEACHING_CONTEXT_ROLES = Set.of("Instructor", "Administrator", "ContentDeveloper");
    /** Institution and system roles that count as teaching when the launch carries no context role. */
    private static final Set<String> TEACHING_GLOBAL_ROLES = Set.of(
            INSTITUTION + "Faculty", INSTITUTION + "Instructor", INSTITUTION + "Administrator",
            SYSTEM + "Administrator", SYSTEM + "SysAdmin",
            LTI11_INSTITUTION + "Faculty", LTI11_INSTITUTION + "Instructor", LTI11_INSTITUTION + "Administrator",
            LTI11_SYSTEM + "Administrator", LTI11_SYSTEM + "SysAdmin");

    private LtiRoles() {
    }

    public static RoleClass classify(List<String> roles) {
        boolean anyContextRole = false;
        for (String role : roles) {
            String principal = contextPrincipal(role);
            if (principal != null) {
                anyContextRole = true;
                if (TEACHING_CONTEXT_ROLES.contains(principal)) {
                    return RoleClass.INSTRUCTOR;
                }
            }
        }
        if (!anyContextRole && roles.stream().anyMatch(TEACHING_GLOBAL_ROLES::contains)) {
            return RoleClass.INSTRUCTOR;
        }
        return RoleClass.LEARNER;
    }

    /** The roles of an LTI 1.1 launch: the {@code roles} parameter is comma-separated (LTI 1.1 §B.2). */
    public static List<String> fromLti11(String rolesParameter) {
        if (rolesParameter == null || rolesParameter.isBlank()) {
            return List.of();
        }
        return Arrays.stream(rolesParameter.split(",")).map(String::trim).filter(r -> !r.isEmpty()).toList();
    }

    /** "Instructor" for membership#Instructor, membership/Instructor#TeachingAssistant, Instructor, Instructor#X. */
    static String contextPrincipal(String role) {
        if (role == null || role.isBlank()) {
            return null;
        }
        if (role.startsWith(MEMBERSHIP)) {
            return role.substring(MEMBERSHIP.length());
        }
        if (role.startsWith(MEMBERSHIP_SUB)) {
            String rest = role.substring(MEMBERSHIP_SUB.length());
            int hash = rest.indexOf('#');
            return hash < 0 ? rest : rest.substring(0, hash);
        }
        if (role.startsWith(LTI11_CONTEXT)) {
            // urn:lti:role:ims/lis/Instructor/TeachingAssistant: the sub-role implies its principal
            String rest = role.substring(LTI11_CONTEXT.length());
            int slash = rest.indexOf('/');
            return slash < 0 ? rest : rest.substring(0, slash);
        }
        if (!role.contains(":") && !role.contains("/")) {
            int hash = role.indexOf('#');
            return hash < 0 ? role : role.substring(0, hash);
        }
        return null;
    }
}
