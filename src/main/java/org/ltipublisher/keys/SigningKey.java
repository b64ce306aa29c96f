package org.ltipublisher.keys;

import java.security.PrivateKey;

/** The tool's current signing key: every JWT the tool signs carries {@code kid} (Security Framework §6). */
public record SigningKey(String kid, PrivateKey privateKey) {
}
