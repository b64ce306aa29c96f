package org.ltipublisher.grades;

import org.ltipublisher.lti.AgsMediaTypes;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.platform.PlatformHttp;
import org.ltipublisher.platform.PlatformHttp.Call;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Posts one score to its line item's scores endpoint (AGS §3.4). */
@ApplicationScoped
public class AgsScorePublisher {

    /** AGS §3.4.1: ISO 8601 with sub-second precision; milliseconds, always written out. */
    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX")
            .withZone(ZoneOffset.UTC);

    private final LineItems lineItems;
    private final PlatformHttp http;
    private final ObjectMapper json;

    public AgsScorePublisher(LineItems lineItems, PlatformHttp http, ObjectMapper json) {
        this.lineItems = lineItems;
        this.http = http;
        this.json = json;
    }

    /** Sends the score; a refusal arrives as {@link org.ltipublisher.platform.PlatformCallFailure}. */
    public void publish(Delivery d) {
        // the column is known for all but a link's first score: no transaction around the send
        String known = d.lineItemUrl() != null ? d.lineItemUrl() : d.boundLineItemUrl();
        String url = LineItems.scoresUrl(known != null ? known : lineItems.lineItemUrl(d));
        http.send(d.platform(), AgsMediaTypes.granted(d.agsScopes()),
                Call.post(url, "application/json", AgsMediaTypes.SCORE, body(d), "the scores service " + url));
    }

    String body(Delivery d) {
        ObjectNode score = json.createObjectNode();
        score.put("userId", d.userId());
        if (d.scoreGiven() != null) {
            score.put("scoreGiven", plain(d.scoreGiven()));
            score.put("scoreMaximum", plain(d.scoreMaximum()));
        }
        if (d.comment() != null) {
            score.put("comment", d.comment());
        }
        score.put("timestamp", TIMESTAMP.format(d.scoredAt()));
        score.put("activityProgress", d.activityProgress());
        score.put("gradingProgress", d.gradingProgress());
        return score.toString();
    }

    /** 100.0000 as 100, not 1E+2: some platforms parse numbers strictly. */
    static java.math.BigDecimal plain(java.math.BigDecimal value) {
        return new java.math.BigDecimal(value.stripTrailingZeros().toPlainString());
    }
}
