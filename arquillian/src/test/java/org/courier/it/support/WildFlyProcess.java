package org.courier.it.support;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The test server's operating-system process: found by its command line and killed hard, as a crash would. */
public final class WildFlyProcess {

    private WildFlyProcess() {
    }

    public static Path home() {
        return Path.of(System.getProperty("jboss.home"));
    }

    /** kill -9 of the WildFly running from {@link #home()}; returns once the process is gone. */
    public static void killHard() throws Exception {
        List<ProcessHandle> servers = servers().toList();
        if (servers.isEmpty()) {
            throw new IllegalStateException("No WildFly process of " + home() + " is running");
        }
        for (ProcessHandle server : servers) {
            server.destroyForcibly();
            server.onExit().get(Duration.ofSeconds(30).toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** Whether a WildFly of {@link #home()} runs (a killed one does not until it is started again). */
    public static boolean isRunning() {
        return servers().findAny().isPresent();
    }

    /** The resident memory of the WildFly running from {@link #home()}, in bytes (Linux: {@code VmRSS} of /proc). */
    public static long residentBytes() throws Exception {
        return status("VmRSS") * 1024;
    }

    /** How many threads the WildFly running from {@link #home()} has (Linux: {@code Threads} of /proc). */
    public static long threads() throws Exception {
        return status("Threads");
    }

    /** How many files and sockets the WildFly running from {@link #home()} holds open (Linux: entries of /proc/PID/fd). */
    public static long openFiles() throws Exception {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(server().pid()), "fd"))) {
            return fds.count();
        }
    }

    /**
     * The heap the WildFly running from {@link #home()} still uses after a full collection, in
     * bytes: {@code jcmd PID GC.run} (a full collection), then the "used" figure of
     * {@code jcmd PID GC.heap_info}. What a leak grows.
     */
    public static long heapAfterFullGc() throws Exception {
        long pid = server().pid();
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        Matcher used = Pattern.compile("used (\\d+)K").matcher(info);
        if (!used.find()) {
            throw new IllegalStateException("jcmd GC.heap_info gave no 'used' figure: " + info);
        }
        return Long.parseLong(used.group(1)) * 1024;
    }

    /** The classes holding the most of the running WildFly's live heap: {@code jcmd PID GC.class_histogram}. */
    public static String classHistogram() throws Exception {
        return jcmd(server().pid(), "GC.class_histogram");
    }

    private static String jcmd(long pid, String command) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + output);
        }
        return output;
    }

    private static ProcessHandle server() {
        return servers().findFirst()
                .orElseThrow(() -> new IllegalStateException("No WildFly process of " + home() + " is running"));
    }

    /** The number in a line of the server process's /proc status ({@code VmRSS: 812345 kB} gives 812345). */
    private static long status(String field) throws Exception {
        ProcessHandle server = server();
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(server.pid()), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("/proc/" + server.pid() + "/status has no " + field + " line");
    }

    /** The processes of a WildFly running from {@link #home()}, found by their command line. */
    private static Stream<ProcessHandle> servers() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(WildFlyProcess::isTestServer).orElse(false));
    }

    private static boolean isTestServer(String commandLine) {
        return commandLine.contains("jboss-modules.jar") && commandLine.contains(home().toString());
    }
}
