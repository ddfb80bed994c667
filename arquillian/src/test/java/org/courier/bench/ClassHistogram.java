package org.courier.bench;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server's live objects by class ({@code jcmd <pid> GC.class_histogram}, taken after a full
 * collection), to say which classes a heap that grew between two moments of a soak grew by.
 */
record ClassHistogram(Map<String, Entry> byClass) {

    private static final Pattern LINE = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(.+?)\\s*$");

    record Entry(long instances, long bytes) {
    }

    /** Reads jcmd's output: one line per class, {@code "  1:  1234  56789  [B (java.base@17)"}. */
    static ClassHistogram parse(String jcmdOutput) {
        Map<String, Entry> byClass = new HashMap<>();
        for (String line : jcmdOutput.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                byClass.merge(m.group(3), new Entry(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))),
                        (a, b) -> new Entry(a.instances() + b.instances(), a.bytes() + b.bytes()));
            }
        }
        return new ClassHistogram(byClass);
    }

    long totalBytes() {
        return byClass.values().stream().mapToLong(Entry::bytes).sum();
    }

    /** The {@code top} classes that grew most in bytes since {@code earlier}, as a Markdown table. */
    String growthSince(ClassHistogram earlier, int top) {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "Live heap %.1f MiB, was %.1f MiB. Classes that grew most:%n%n"
                        + "| Class | Bytes then | Bytes now | Growth | Instances then | Instances now |%n"
                        + "|---|---:|---:|---:|---:|---:|%n", totalBytes() / 1048576.0, earlier.totalBytes() / 1048576.0));
        Entry none = new Entry(0, 0);
        byClass.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, Entry> e) ->
                        e.getValue().bytes() - earlier.byClass().getOrDefault(e.getKey(), none).bytes()).reversed())
                .limit(top)
                .forEach(e -> {
                    Entry then = earlier.byClass().getOrDefault(e.getKey(), none);
                    table.append(String.format(Locale.ROOT, "| `%s` | %d | %d | %+d | %d | %d |%n", e.getKey(),
                            then.bytes(), e.getValue().bytes(), e.getValue().bytes() - then.bytes(), then.instances(),
                            e.getValue().instances()));
                });
        return table.toString();
    }
}
