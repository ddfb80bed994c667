package org.courier.it.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The test server's operating-system process: found by its command line and killed hard, as a crash would. */
public final class WildFlyProcess {

    private WildFlyProcess() {
    }

    public static Path home() {
        return Path.of(System.getProperty("jboss.home"));
    }

    /** kill -9 of the WildFly running from {@link #home()}; returns once the process is gone. */
    public static void killHard() throws Exception {
        List<ProcessHandle> servers = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(WildFlyProcess::isTestServer).orElse(false))
                .toList();
        if (servers.isEmpty()) {
            throw new IllegalStateException("No WildFly process of " + home() + " is running");
        }
        for (ProcessHandle server : servers) {
            server.destroyForcibly();
            server.onExit().get(Duration.ofSeconds(30).toSeconds(), TimeUnit.SECONDS);
        }
    }

    private static boolean isTestServer(String commandLine) {
        return commandLine.contains("jboss-modules.jar") && commandLine.contains(home().toString());
    }
}
