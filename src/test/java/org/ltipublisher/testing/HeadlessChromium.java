package org.ltipublisher.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's headless Chromium, installed by {@code .ci/install-chromium.sh} when missing. Each run uses a
 * fresh profile; {@link #blockAllCookies()} makes it refuse every cookie (also partitioned ones), which is
 * what a launch through platform storage must survive.
 */
public final class HeadlessChromium {

    private final String binary;
    private boolean blockCookies;

    private HeadlessChromium(String binary) {
        this.binary = binary;
    }

    /** The installed Chromium, installing it through the project's script first when needed. */
    public static HeadlessChromium find() throws IOException, InterruptedException {
        String found = which();
        if (found == null) {
            Process install = new ProcessBuilder(".ci/install-chromium.sh").inheritIO().start();
            if (!install.waitFor(10, TimeUnit.MINUTES) || install.exitValue() != 0) {
                throw new AssertionError("Chromium is missing and .ci/install-chromium.sh failed (needs root or "
                        + "sudo and the Debian archive); install the 'chromium' package and run again");
            }
            found = which();
        }
        if (found == null) {
            throw new AssertionError("Chromium is still missing after .ci/install-chromium.sh");
        }
        return new HeadlessChromium(found);
    }

    public HeadlessChromium blockAllCookies() {
        this.blockCookies = true;
        return this;
    }

    /** A running browser window; closing it ends the Chromium process. */
    public static final class Window implements AutoCloseable {
        private final Process process;
        private final Path log;

        Window(Process process, Path log) {
            this.process = process;
            this.log = log;
        }

        /** Chromium's own output (console messages are logged at --v=0 as "CONSOLE(...)"). */
        public String log() throws IOException {
            return Files.readString(log, StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Opens the URL in real time; pages, frames and scripts run until the window is closed. */
    public Window open(String url) throws IOException {
        Path profile = Files.createTempDirectory("chromium-profile");
        Files.createDirectories(profile.resolve("Default"));
        if (blockCookies) {
            // content setting 2 = block: no cookie is stored or sent, not even a partitioned one
            Files.writeString(profile.resolve("Default/Preferences"),
                    "{\"profile\":{\"default_content_setting_values\":{\"cookies\":2},\"cookie_controls_mode\":1,"
                            + "\"block_third_party_cookies\":true}}",
                    StandardCharsets.UTF_8);
        }
        Path log = Files.createTempFile("chromium", ".log");
        Process chromium = new ProcessBuilder(List.of(binary, "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--enable-logging=stderr", "--v=0",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", url))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Window(chromium, log);
    }

    private static String which() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return null;
    }
}
