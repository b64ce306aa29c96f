package org.ltipublisher.legacy;

import org.ltipublisher.web.Rejection;

/**
 * A refused LTI 1.1 launch that came from an authenticated consumer with a
 * launch_presentation_return_url: the browser is sent back there with {@code lti_errormsg}, as the
 * LTI 1.1 certification expects. Refusals before the signature verified never redirect (the URL
 * could be anyone's).
 */
public class Lti11Rejection extends Rejection {

    private final String returnUrl;

    public Lti11Rejection(Rejection cause, String returnUrl) {
        super(cause.status(), cause.code(), cause.getMessage());
        this.returnUrl = returnUrl;
    }

    public String returnUrl() {
        return returnUrl;
    }
}
