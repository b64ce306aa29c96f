package org.ltipublisher.lti;

/**
 * A message type the tool can receive, as dynamic registration advertises it in the tool configuration's
 * {@code messages} (LTI DR 1.0 §3.5). Every message handler is one, so adding a handler advertises it.
 */
public interface AdvertisedMessage {

    /** The {@code https://purl.imsglobal.org/spec/lti/claim/message_type} value (LTI Core §5.3.1). */
    String messageType();

    /** The tool path the platform launches this message at ({@link ToolPaths}). */
    String targetPath();

    /** The label the platform shows for it. */
    String label(String toolName);

    /**
     * Whether to advertise it to a platform that does not list it in {@code messages_supported} (LTI DR 1.0
     * §3.4): only the resource link launch every LTI 1.3 platform supports.
     */
    default boolean advertisedToEveryPlatform() {
        return false;
    }

    /**
     * Whether to advertise it to a platform whose configuration lists no {@code messages_supported} at all
     * (older platforms that support deep linking without saying so).
     */
    default boolean assumedWhenPlatformListsNone() {
        return true;
    }

    /** Where it stands in the advertised list: lower first. */
    int advertisedOrder();
}
