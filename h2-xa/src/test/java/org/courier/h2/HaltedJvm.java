package org.courier.h2;

import java.util.concurrent.TimeUnit;

/** Runs a test class's {@code main} in a JVM of its own, which ends by halting as a kill would, and waits for it. */
final class HaltedJvm {

    private HaltedJvm() {
    }

    /** @param what what the JVM does, for the error if it does not end normally */
    static void run(Class<?> main, String what, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String[] command = new String[args.length + 4];
        command[0] = java;
        command[1] = "-cp";
        command[2] = System.getProperty("java.class.path");
        command[3] = main.getName();
        System.arraycopy(args, 0, command, 4, args.length);
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("the JVM " + what + " did not end normally");
        }
    }
}
