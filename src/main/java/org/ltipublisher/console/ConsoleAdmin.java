package org.ltipublisher.console;

import java.util.UUID;

/** A signed-in console administrator. */
public record ConsoleAdmin(UUID id, String username) {
}
