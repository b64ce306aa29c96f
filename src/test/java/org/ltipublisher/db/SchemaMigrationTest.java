package org.ltipublisher.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** SchemaMigration skips Flyway when the applied version is its LATEST_VERSION: that must be the newest file. */
class SchemaMigrationTest {

    private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.+\\.sql");

    @Test
    void latestVersionIsTheNewestMigrationFile() throws IOException {
        int newest;
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            newest = files.map(f -> VERSIONED.matcher(f.getFileName().toString()))
                    .filter(Matcher::matches)
                    .mapToInt(m -> Integer.parseInt(m.group(1)))
                    .max().orElseThrow();
        }
        assertEquals(newest, SchemaMigration.LATEST_VERSION,
                "a migration was added: raise SchemaMigration.LATEST_VERSION to " + newest);
    }
}
