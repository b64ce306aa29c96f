package org.ltipublisher.deeplinking;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.AdminApi.Published;
import org.ltipublisher.testing.AdminApi.Registered;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.LaunchSpec;
import org.ltipublisher.testing.LtiBrowser;
import org.ltipublisher.testing.PlatformSimulator;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Deep Linking 2.0 round trips from a simulated platform: sign in, choose, the signed response verified
 * against the tool's JWKS, and a launch of the created link landing in the chosen resource.
 */
@QuarkusTest
class DeepLinkingTest extends WithPostgres {

    static final String INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor";
    static final String LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner";
    static final String DL = "https://purl.imsglobal.org/spec/lti-dl/claim/";
    static final Pattern HIDDEN = Pattern.compile("name=\"([^\"]+)\" value=\"([^\"]*)\"");
    static final Pattern FORM_ACTION = Pattern.compile("<form method=\"post\" action=\"([^\"]+)\" id=\"deep-linking-response\"");

    static PlatformSimulator platform;

    @Inject
    DataSource db;

    @BeforeAll
    static void start() {
        platform = new PlatformSimulator();
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    static String base(Published resource) {
        return resource.launchUrl().substring(0, resource.launchUrl().indexOf("/lti/resources/"));
    }

    static Map<String, Object> settings(boolean multiple, Boolean lineItem, List<String> types) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("deep_link_return_url", platform.issuer() + "/deep-link-return?course=1&section=2");
        settings.put("accept_types", types);
        settings.put("accept_presentation_document_targets", List.of("iframe", "window"));
        settings.put("accept_multiple", multiple);
        if (lineItem != null) {
            settings.put("accept_lineitem", lineItem);
        }
        settings.put("data", "csrf-token-\"quoted\"&more");
        return settings;
    }

    static LaunchSpec deepLinkingSpec(Registered reg, String target, String sub, Map<String, Object> settings) {
        return LaunchSpec.resourceLink(reg.issuer(), reg.clientId(), reg.deploymentId(), target, sub)
                .withoutLti("resource_link")
                .lti("message_type", "LtiDeepLinkingRequest")
                .roles(INSTRUCTOR)
                .claim(DL + "deep_linking_settings", settings);
    }

    static Map<String, String> fields(String html) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = HIDDEN.matcher(html);
        while (m.find()) {
            fields.putIfAbsent(m.group(1), m.group(2).replace("&amp;", "&").replace("&quot;", "\""));
        }
        return fields;
    }

    /** The instructor's account in the tool, then a deep linking launch that asks to sign in to it. */
    private record Teacher(String sub, String username, String password) {
    }

    private Teacher teacher() {
        String sub = "teacher-" + UUID.randomUUID();
        String username = "t" + UUID.randomUUID().toString().substring(0, 8);
        AdminApi.createAccount(username, sub + "@example.edu", "correct horse battery");
        return new Teacher(sub, username, "correct horse battery");
    }

    /** Launch → account page → sign in → selection page; returns the browser on the selection page. */
    private Response reachSelection(LtiBrowser browser, Registered reg, String base, Teacher teacher,
            Map<String, Object> settings) {
        Response account = browser.launch(platform, reg, base + "/lti/deep-linking",
                deepLinkingSpec(reg, base + "/lti/deep-linking", teacher.sub(), settings));
        assertEquals(200, account.statusCode(), account.asString());
        account.then().body(containsString("Sign in to choose content"));
        String pending = fields(account.asString()).get("pending");
        assertNotNull(pending);
        Response selection = browser.post("/lti/account", Map.of("pending", pending, "action", "signin",
                "username", teacher.username(), "password", teacher.password()));
        assertEquals(200, selection.statusCode(), selection.asString());
        selection.then().body(containsString("Choose content to add"));
        return selection;
    }

    private JwtClaims verifyWithToolJwks(String jwt) throws Exception {
        String jwks = given().get("/.well-known/jwks.json").then().statusCode(200).extract().asString();
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(new JsonWebKeySet(jwks).getJsonWebKeys()))
                .setExpectedIssuer(true, null)
                .setExpectedAudience(platform.issuer())
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .build();
        return consumer.processToClaims(jwt);
    }

    @Test
    @SuppressWarnings("unchecked")
    void roundTripWithLineItemCreatesALinkWhoseLaunchReachesTheResource() throws Exception {
        Registered reg = AdminApi.register(platform, "dl-" + UUID.randomUUID(), "dep-dl");
        Published fractions = AdminApi.publish("DL Fractions " + UUID.randomUUID(), "auto", "auto");
        Published geometry = AdminApi.publish("DL Geometry <b>" + UUID.randomUUID(), "auto", "auto");
        String base = base(fractions);
        Teacher teacher = teacher();
        LtiBrowser browser = new LtiBrowser();

        Response selection = reachSelection(browser, reg, base, teacher, settings(true, true, List.of("ltiResourceLink", "link")));
        selection.then().body(containsString("type=\"checkbox\" id=\"r-" + fractions.id()))
                .body(containsString("Add to gradebook"))
                .body(containsString("DL Geometry &lt;b&gt;"))
                .body(not(containsString("DL Geometry <b>")));
        String token = fields(selection.asString()).get("selection");

        Response answer = browser.formRequest()
                .formParam("selection", token).formParam("action", "add")
                .formParam("resource", fractions.id().toString()).formParam("resource", geometry.id().toString())
                .formParam("gradebook", fractions.id().toString())
                .post("/lti/deep-linking/response");

        assertEquals(200, answer.statusCode(), answer.asString());
        Matcher action = FORM_ACTION.matcher(answer.asString());
        assertTrue(action.find(), answer.asString());
        // the return URL is HTML-escaped in the form action
        assertEquals(platform.issuer() + "/deep-link-return?course=1&amp;section=2", action.group(1));
        answer.then().body(containsString("<noscript>")).body(containsString(".submit()"));
        String jwt = fields(answer.asString()).get("JWT");

        JwtClaims claims = verifyWithToolJwks(jwt);
        assertEquals(reg.clientId(), claims.getIssuer());
        assertEquals(List.of(platform.issuer()), claims.getAudience());
        assertEquals("LtiDeepLinkingResponse", claims.getClaimValue(LaunchSpec.LTI + "message_type"));
        assertEquals("1.3.0", claims.getClaimValue(LaunchSpec.LTI + "version"));
        assertEquals("dep-dl", claims.getClaimValue(LaunchSpec.LTI + "deployment_id"));
        assertEquals("csrf-token-\"quoted\"&more", claims.getClaimValue(DL + "data"));
        assertNotNull(claims.getStringClaimValue("nonce"));
        long lifetime = claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue();
        assertEquals(300, lifetime);
        List<Map<String, Object>> items = (List<Map<String, Object>>) claims.getClaimValue(DL + "content_items");
        assertEquals(2, items.size());
        Map<String, Object> first = items.get(0);
        assertEquals("ltiResourceLink", first.get("type"));
        assertEquals(fractions.launchUrl(), first.get("url"));
        assertEquals(Map.of("id", fractions.id().toString()), first.get("custom"));
        Map<String, Object> lineItem = (Map<String, Object>) first.get("lineItem");
        assertEquals(10.0, ((Number) lineItem.get("scoreMaximum")).doubleValue());
        assertEquals(fractions.id().toString(), lineItem.get("resourceId"));
        assertTrue(((String) lineItem.get("label")).startsWith("DL Fractions"));
        assertEquals("activity", lineItem.get("tag"));
        assertFalse(items.get(1).containsKey("lineItem"), "no gradebook tick, no line item");

        // the platform creates the link; a student's launch of it (target = item url, custom id) lands there
        String student = "student-" + UUID.randomUUID();
        Response launch = new LtiBrowser().launch(platform, reg, (String) first.get("url"),
                LaunchSpec.resourceLink(reg.issuer(), reg.clientId(), reg.deploymentId(), (String) first.get("url"), student)
                        .lti("resource_link", Map.of("id", "dl-link-" + UUID.randomUUID(), "title", "Fractions"))
                        .lti("custom", first.get("custom")));
        assertEquals(303, launch.statusCode(), launch.asString());
        assertTrue(launch.header("Location").contains("/activity/" + fractions.id()), launch.header("Location"));

        // a platform that sends the link to the tool's generic launch URL: the custom id alone finds it
        Response generic = new LtiBrowser().launch(platform, reg, base + "/lti/launch",
                LaunchSpec.resourceLink(reg.issuer(), reg.clientId(), reg.deploymentId(), base + "/lti/launch", student)
                        .lti("resource_link", Map.of("id", "dl-link-" + UUID.randomUUID()))
                        .lti("custom", items.get(1).get("custom")));
        assertEquals(303, generic.statusCode(), generic.asString());
        assertTrue(generic.header("Location").contains("/activity/" + geometry.id()), generic.header("Location"));

        // the teacher is linked now: the next deep linking request goes straight to the selection
        Response again = new LtiBrowser().launch(platform, reg, base + "/lti/deep-linking",
                deepLinkingSpec(reg, base + "/lti/deep-linking", teacher.sub(), settings(true, true, List.of("ltiResourceLink"))));
        assertEquals(200, again.statusCode(), again.asString());
        again.then().body(containsString("Choose content to add"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aContentTreeIsShownIndentedAndEachLevelIsLinkedWithALineItemAndLaunched() throws Exception {
        Registered reg = AdminApi.register(platform, "dl-" + UUID.randomUUID(), "dep-dl");
        Published course = AdminApi.publish(Map.of("title", "DL Tree " + UUID.randomUUID(), "kind", "course",
                "maxGrade", 100, "studentProvisioning", "auto", "teacherProvisioning", "auto"));
        String unit = AdminApi.admin().body(Map.of("title", "Tree unit", "kind", "unit", "maxGrade", 10))
                .post("/api/v1/resources/" + course.id() + "/children").then().statusCode(201).extract().path("id");
        String problem = AdminApi.admin().body(Map.of("title", "Tree problem", "kind", "problem", "maxGrade", 1))
                .post("/api/v1/resources/" + unit + "/children").then().statusCode(201).extract().path("id");
        LtiBrowser browser = new LtiBrowser();

        Response selection = reachSelection(browser, reg, base(course), teacher(),
                settings(true, true, List.of("ltiResourceLink")));
        String html = selection.asString();
        int c = html.indexOf("data-depth=\"0\" style=\"padding-left: 0.5em\"><label for=\"r-" + course.id());
        int u = html.indexOf("data-depth=\"1\" style=\"padding-left: 1.5em\"><label for=\"r-" + unit);
        int p = html.indexOf("data-depth=\"2\" style=\"padding-left: 2.5em\"><label for=\"r-" + problem);
        assertTrue(c > 0 && u > c && p > u, "the tree, in order and indented: " + html);
        for (String id : List.of(course.id().toString(), unit, problem)) {
            selection.then().body(containsString("name=\"gradebook\" value=\"" + id + "\""));
        }

        Response answer = browser.formRequest().formParam("selection", fields(html).get("selection"))
                .formParam("action", "add")
                .formParam("resource", course.id().toString()).formParam("resource", unit).formParam("resource", problem)
                .formParam("gradebook", course.id().toString()).formParam("gradebook", unit).formParam("gradebook", problem)
                .post("/lti/deep-linking/response");
        assertEquals(200, answer.statusCode(), answer.asString());
        List<Map<String, Object>> items = (List<Map<String, Object>>) verifyWithToolJwks(fields(answer.asString())
                .get("JWT")).getClaimValue(DL + "content_items");
        assertEquals(3, items.size());
        List<Double> maxima = List.of(100.0, 10.0, 1.0);
        String student = "student-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            Map<String, Object> lineItem = (Map<String, Object>) items.get(i).get("lineItem");
            assertEquals(maxima.get(i), ((Number) lineItem.get("scoreMaximum")).doubleValue());
            String url = (String) items.get(i).get("url");
            Response launch = new LtiBrowser().launch(platform, reg, url,
                    LaunchSpec.resourceLink(reg.issuer(), reg.clientId(), reg.deploymentId(), url, student)
                            .lti("resource_link", Map.of("id", "tree-link-" + UUID.randomUUID()))
                            .lti("custom", items.get(i).get("custom")));
            assertEquals(303, launch.statusCode(), launch.asString());
            assertTrue(launch.header("Location").contains("/activity/" + lineItem.get("resourceId")),
                    launch.header("Location"));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void withoutLineItemsSingleChoiceAndNoGradebook() throws Exception {
        Registered reg = AdminApi.register(platform, "dl-" + UUID.randomUUID(), "dep-dl");
        Published problem = AdminApi.publish("DL Problem " + UUID.randomUUID(), "auto", "auto");
        Published other = AdminApi.publish("DL Other " + UUID.randomUUID(), "auto", "auto");
        LtiBrowser browser = new LtiBrowser();

        Response selection = reachSelection(browser, reg, base(problem), teacher(),
                settings(false, false, List.of("ltiResourceLink")));
        selection.then().body(containsString("type=\"radio\" id=\"r-" + problem.id()))
                .body(not(containsString("Add to gradebook")));
        String token = fields(selection.asString()).get("selection");

        // two items where the platform accepts one: refused
        Response two = browser.formRequest().accept("application/json")
                .formParam("selection", token).formParam("resource", problem.id().toString())
                .formParam("resource", other.id().toString()).post("/lti/deep-linking/response");
        assertEquals(400, two.statusCode());
        assertEquals("multiple_not_accepted", two.path("error"));

        // nothing chosen: the page again, with a hint
        Response none = browser.formRequest()
                .formParam("selection", token).formParam("action", "add").post("/lti/deep-linking/response");
        assertEquals(400, none.statusCode());
        none.then().body(containsString("Choose at least one resource"));

        // a forged gradebook tick is ignored when the platform said accept_lineitem=false
        Response answer = browser.formRequest()
                .formParam("selection", token).formParam("resource", problem.id().toString())
                .formParam("gradebook", problem.id().toString()).post("/lti/deep-linking/response");
        assertEquals(200, answer.statusCode(), answer.asString());
        JwtClaims claims = verifyWithToolJwks(fields(answer.asString()).get("JWT"));
        List<Map<String, Object>> items = (List<Map<String, Object>>) claims.getClaimValue(DL + "content_items");
        assertEquals(1, items.size());
        assertFalse(items.get(0).containsKey("lineItem"));
        assertEquals(problem.launchUrl(), items.get(0).get("url"));

        // cancel: an empty content_items
        Response cancel = browser.formRequest()
                .formParam("selection", token).formParam("action", "cancel").post("/lti/deep-linking/response");
        assertEquals(200, cancel.statusCode());
        assertEquals(List.of(), verifyWithToolJwks(fields(cancel.asString()).get("JWT")).getClaimValue(DL + "content_items"));
    }

    @Test
    void requestsThatCannotBeAnsweredAreRefusedAndStoreNothing() {
        Registered reg = AdminApi.register(platform, "dl-" + UUID.randomUUID(), "dep-dl");
        Published resource = AdminApi.publish("DL Refused " + UUID.randomUUID(), "auto", "auto");
        String base = base(resource);
        String target = base + "/lti/deep-linking";
        String sub = "teacher-" + UUID.randomUUID();

        DbCounts before = DbCounts.of(db);
        Response types = new LtiBrowser().json().launch(platform, reg, target,
                deepLinkingSpec(reg, target, sub, settings(true, true, List.of("file", "html"))));
        assertEquals(400, types.statusCode());
        assertEquals("deep_linking_type_not_accepted", types.path("error"));
        assertTrue(types.<String>path("message").contains("[file, html]"));

        Map<String, Object> embedOnly = settings(true, true, List.of("ltiResourceLink"));
        embedOnly.put("accept_presentation_document_targets", List.of("embed"));
        Response targets = new LtiBrowser().json().launch(platform, reg, target, deepLinkingSpec(reg, target, sub, embedOnly));
        assertEquals(400, targets.statusCode());
        assertEquals("deep_linking_target_not_accepted", targets.path("error"));

        Map<String, Object> noReturn = settings(true, true, List.of("ltiResourceLink"));
        noReturn.remove("deep_link_return_url");
        Response missing = new LtiBrowser().json().launch(platform, reg, target, deepLinkingSpec(reg, target, sub, noReturn));
        assertEquals(400, missing.statusCode());
        assertEquals("missing_deep_link_return_url", missing.path("error"));

        Response learner = new LtiBrowser().json().launch(platform, reg, target,
                deepLinkingSpec(reg, target, sub, settings(true, true, List.of("ltiResourceLink"))).roles(LEARNER));
        assertEquals(403, learner.statusCode());
        assertEquals("deep_linking_not_allowed", learner.path("error"));

        assertEquals(before, DbCounts.of(db));
    }

    @Test
    void forgedOrUnboundSelectionTokensAreRefused() {
        Response forged = new LtiBrowser().formRequest().accept("application/json")
                .formParam("selection", "eyJhbGciOiJIUzI1NiJ9.eyJ4IjoxfQ.bad").formParam("resource", UUID.randomUUID().toString())
                .post("/lti/deep-linking/response");
        assertEquals(400, forged.statusCode());
        assertEquals("invalid_selection", forged.path("error"));

        // the pending-launch token carries the unbound selection; it must not open the selection without sign-in
        Registered reg = AdminApi.register(platform, "dl-" + UUID.randomUUID(), "dep-dl");
        Published resource = AdminApi.publish("DL Unbound " + UUID.randomUUID(), "auto", "auto");
        String target = base(resource) + "/lti/deep-linking";
        Response account = new LtiBrowser().launch(platform, reg, target, deepLinkingSpec(reg, target,
                "teacher-" + UUID.randomUUID(), settings(true, true, List.of("ltiResourceLink"))));
        String pending = fields(account.asString()).get("pending");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(pending.split("\\.")[1]));
        String unbound = payload.replaceAll(".*\"dl\":\"([^\"]+)\".*", "$1");
        Response sneaky = new LtiBrowser().formRequest().accept("application/json")
                .formParam("selection", unbound).formParam("resource", resource.id().toString())
                .post("/lti/deep-linking/response");
        assertEquals(403, sneaky.statusCode(), sneaky.asString());
        assertEquals("account_required", sneaky.path("error"));
    }
}
