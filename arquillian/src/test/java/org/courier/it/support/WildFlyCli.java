package org.courier.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** One command of WildFly's CLI against a running server on this machine (local authentication). */
public final class WildFlyCli {

    /** The management port of a single test server (no port offset). */
    public static final int DEFAULT_PORT = 9990;

    private WildFlyCli() {
    }

    /** Runs {@code command} against the server whose management interface is on {@code managementPort}; its output. */
    public static String run(int managementPort, String command) {
        try {
            Process cli = new ProcessBuilder(WildFlyProcess.home().resolve("bin/jboss-cli.sh").toString(), "-c",
                    "--controller=127.0.0.1:" + managementPort, "--command=" + command).redirectErrorStream(true).start();
            String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!cli.waitFor(60, TimeUnit.SECONDS) || cli.exitValue() != 0) {
                throw new IllegalStateException("jboss-cli " + command + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("could not run jboss-cli", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running jboss-cli", e);
        }
    }
}
