package org.ltipublisher.resources;

import java.util.UUID;

/** Where a launch happened: an LTI 1.3 deployment's placement or an LTI 1.1 consumer's. */
public sealed interface Placement permits LaunchPlacement, ConsumerPlacement {

    UUID resourceId();
}
