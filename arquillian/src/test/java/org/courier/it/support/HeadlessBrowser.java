package org.courier.it.support;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A script of {@code src/test/browser} run by Node in Debian's headless Chromium (playwright-core).
 * Needs {@code node}, {@code npm ci} in {@code src/test/browser} and {@code /usr/bin/chromium}
 * (or {@code CHROMIUM}): without them a test fails in CI ({@code CI=true}) and is skipped elsewhere.
 */
public final class HeadlessBrowser {

    public static final Path DIR = Path.of(System.getProperty("basedir", "."), "src", "test", "browser");
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

    private final String node;

    private HeadlessBrowser(String node) {
        this.node = node;
    }

    /** The browser, when node, playwright-core and Chromium are all there; else the test is skipped (fails in CI). */
    public static HeadlessBrowser availableOrSkip(String test) {
        List<String> missing = new ArrayList<>();
        String node = onPath("node");
        if (node == null) {
            missing.add("node (apt-get install nodejs npm)");
        }
        if (!Files.isDirectory(DIR.resolve("node_modules/playwright-core"))) {
            missing.add("playwright-core (npm ci --prefix arquillian/src/test/browser)");
        }
        if (!Files.isExecutable(CHROMIUM)) {
            missing.add(CHROMIUM + " (apt-get install chromium)");
        }
        String message = test + " needs " + String.join(", ", missing);
        if (!missing.isEmpty() && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(message);
        }
        Assumptions.assumeTrue(missing.isEmpty(), message);
        return new HeadlessBrowser(node);
    }

    /** What a script printed, and how it ended. */
    public record Run(int exitCode, String output) {

        /** The rest of the last output line that starts with {@code prefix}. */
        public Optional<String> last(String prefix) {
            return output.lines().filter(line -> line.startsWith(prefix)).reduce((first, second) -> second)
                    .map(line -> line.substring(prefix.length()));
        }
    }

    /**
     * Runs the monitor's {@code <script>.mjs} signed in as the integration user, with
     * {@code arguments}; its log and a failure's screenshot go to {@code outputDir}; each of its
     * waits on the page gives up after {@code waitSeconds}, the whole run after twice that and 30 s.
     */
    public Run runOnMonitor(String script, List<String> arguments, Path outputDir, int waitSeconds)
            throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of(
                "--url=" + MonitorApi.PAGE,
                "--user=" + TestUser.INTEGRATION.name(),
                "--password=" + TestUser.INTEGRATION.password()));
        all.addAll(arguments);
        all.add("--screenshot=" + outputDir.resolve(script + "-failure.png").toAbsolutePath());
        all.add("--timeout=" + waitSeconds);
        return run(script + ".mjs", all, outputDir.resolve(script + ".log"), Duration.ofSeconds(2L * waitSeconds + 30));
    }

    /**
     * Runs {@code script} with {@code args}, its output in {@code log}; a script still running after
     * {@code timeout} is ended and fails the test.
     */
    public Run run(String script, List<String> args, Path log, Duration timeout) throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>(List.of(node, script));
        command.addAll(args);
        Process browser = new ProcessBuilder(command)
                .directory(DIR.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        if (!browser.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            browser.descendants().forEach(ProcessHandle::destroyForcibly);
            browser.destroyForcibly().waitFor();
            throw new AssertionError(script + " did not end within " + timeout + "; its output:\n" + Files.readString(log));
        }
        return new Run(browser.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static String onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
