package org.ltipublisher.keys;

import java.time.Instant;

/** What the admin API shows of a key: never the private part. */
public record KeyView(String kid, String status, Instant createdAt, Instant activatedAt, Instant retiredAt) {

    static KeyView of(ToolKey key) {
        return new KeyView(key.kid, key.status.name(), key.createdAt, key.activatedAt, key.retiredAt);
    }
}
