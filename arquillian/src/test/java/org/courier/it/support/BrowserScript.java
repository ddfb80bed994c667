package org.courier.it.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A script of {@code src/test/browser} that drives Debian's headless Chromium with playwright-core:
 * its output goes to {@code target/<name>/<name>.log}, its exit code says whether it saw what it
 * was told to see. Without node, {@code npm ci} in {@code src/test/browser} or {@code /usr/bin/chromium}
 * the test is skipped, except in CI ({@code CI=true}), where it fails.
 */
public final class BrowserScript {

    /** Where the scripts and their node_modules are. */
    public static final Path BROWSER_DIR = Path.of(System.getProperty("basedir", "."), "src", "test", "browser");

    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

    private final String name;
    private final String node;
    private final Path outputDir;

    private BrowserScript(String name, String node) {
        this.name = name;
        this.node = node;
        this.outputDir = Path.of(System.getProperty("basedir", "."), "target", name);
    }

    /** The script {@code <name>.mjs}, when the browser tools are there; else the test is skipped (fails in CI). */
    public static BrowserScript named(String name) {
        List<String> missing = new ArrayList<>();
        String node = onPath("node");
        if (node == null) {
            missing.add("node (apt-get install nodejs npm)");
        }
        if (!Files.isDirectory(BROWSER_DIR.resolve("node_modules/playwright-core"))) {
            missing.add("playwright-core (npm ci --prefix arquillian/src/test/browser)");
        }
        if (!Files.isExecutable(CHROMIUM)) {
            missing.add(CHROMIUM + " (apt-get install chromium)");
        }
        String message = "the browser test " + name + " needs " + String.join(", ", missing);
        if (!missing.isEmpty() && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(message);
        }
        Assumptions.assumeTrue(missing.isEmpty(), message);
        return new BrowserScript(name, node);
    }

    /** The folder of this script's log, screenshots and other output. */
    public Path outputDir() {
        return outputDir;
    }

    /** The script's log so far. */
    public String log() throws IOException {
        return Files.readString(outputDir.resolve(name + ".log"));
    }

    /**
     * Runs the script with these {@code --name=value} arguments and waits for it, at most
     * {@code seconds}; its exit code.
     */
    public int run(List<String> arguments, long seconds) throws IOException, InterruptedException {
        Files.createDirectories(outputDir);
        Path log = outputDir.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(node, name + ".mjs"));
        command.addAll(arguments);
        Process browser = new ProcessBuilder(command).directory(BROWSER_DIR.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!browser.waitFor(seconds, TimeUnit.SECONDS)) {
            browser.descendants().forEach(ProcessHandle::destroyForcibly);
            browser.destroyForcibly().waitFor();
            throw new AssertionError(name + ".mjs did not end in time; its output:\n" + Files.readString(log));
        }
        return browser.exitValue();
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
