package org.courier.loader;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.courier.loader.SoapSender.Message;
import org.courier.loader.SoapSender.Outcome;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Sends XML files to Courier as a real sender does. Each file is one message; its message id is
 * the file name without {@code .xml}, so running the same command again sends the same ids and
 * Courier answers DUPLICATE instead of delivering twice. A send without an answer, or refused
 * with a retryable fault, is sent again (same id) with a growing pause; an in-order queue's files
 * go one after the other in file-name order, each only after the previous one was acknowledged.
 * Prints a progress bar for more than one file and a summary; exits 0 when every file was
 * acknowledged, 1 otherwise, 2 for a usage error.
 */
public final class CourierSend {

    static final String EXACTLY_ONCE = "ExactlyOnce";
    static final String EXACTLY_ONCE_IN_ORDER = "ExactlyOnceInOrder";
    /** The contract's rule for message ids: 1-200 printable characters without white space. */
    private static final Pattern MESSAGE_ID = Pattern.compile("[\\x21-\\x7E\\u00A0-\\uFFFF&&[^\\s]]{1,200}");

    private final Options options;
    private final SoapSender sender;
    private final PrintStream out;
    private final PrintStream err;

    CourierSend(Options options, PrintStream out, PrintStream err) {
        this.options = options;
        this.sender = new SoapSender(options.url(), options.timeout(), options.credentials());
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line; the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        List<Path> files;
        try {
            options = Options.parse(args);
            if (options.help()) {
                out.print(Options.usage());
                return 0;
            }
            files = options.generated() ? List.of() : files(options.paths());
        } catch (IllegalArgumentException e) {
            err.println("courier-send: " + e.getMessage());
            err.print(Options.usage());
            return 2;
        }
        CourierSend command = new CourierSend(options, out, err);
        return options.generated() ? command.generate() : command.send(files).print(out);
    }

    /** The load generator: prints the plan, a progress bar and the report; exit code 0 when all were acknowledged. */
    int generate() {
        LoadGenerator.Plan plan = new LoadGenerator.Plan(options.sender(), options.interfaceName(), options.idPrefix(),
                options.generate(), options.threads(), options.payloadBytes(), options.inOrder() ? options.queues() : 0,
                options.batch());
        out.printf("Sending %d messages of %d bytes, %s%s, from %d threads%s%s, ids %s...%n", plan.messages(),
                plan.payloadBytes(), options.qualityOfService(), plan.inOrder() ? " over " + plan.queues() + " queues" : "",
                plan.inOrder() ? Math.min(plan.threads(), plan.queues()) : plan.threads(),
                plan.batch() > 1 ? " in batches of " + plan.batch() : "",
                options.rate() > 0 ? " at " + options.rate() + " per second (open loop)" : "", plan.messageId(0));
        Progress progress = new Progress(plan.messages(), err);
        LoadGenerator generator = new LoadGenerator(sender, options.retries());
        LoadGenerator.Report report = options.rate() > 0
                ? generator.runAtRate(plan, options.rate(), progress::update)
                : generator.run(plan, progress::update);
        progress.done(report);
        out.println(report.summary());
        return report.acknowledged() == plan.messages() ? 0 : 1;
    }

    Summary send(List<Path> files) {
        Summary summary = new Summary(files.size());
        Progress progress = new Progress(files.size(), err);
        int threads = options.inOrder() ? 1 : options.threads();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> sends = new ArrayList<>();
            for (Path file : files) {
                sends.add(pool.submit(() -> {
                    summary.add(file, sendOne(file));
                    progress.update(summary);
                }));
                if (options.inOrder()) {
                    // in order: the next file only after this one was acknowledged (or given up)
                    Waiting.join(sends.get(sends.size() - 1));
                }
            }
            sends.forEach(Waiting::join);
        } finally {
            pool.shutdown();
        }
        progress.done(summary);
        return summary;
    }

    private Outcome sendOne(Path file) {
        String payload;
        try {
            payload = Files.readString(file, UTF_8);
        } catch (IOException e) {
            return Outcome.fault("UNREADABLE_FILE", false, file + ": " + e.getMessage());
        }
        Message message = new Message(options.sender(), options.interfaceName(), messageId(file),
                options.qualityOfService(), options.queueId(), payload);
        Outcome outcome = sender.send(message);
        for (int retry = 1; retry <= options.retries() && outcome.worthRetrying(); retry++) {
            Waiting.pause(Waiting.beforeRetry(retry));
            outcome = sender.send(message);
        }
        return outcome;
    }

    /** The file's message id: its name without {@code .xml}. */
    static String messageId(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".xml") ? name.substring(0, name.length() - 4) : name;
    }

    /** The files to send: each argument a file, or a directory whose *.xml files are taken by name. */
    static List<Path> files(List<Path> paths) {
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> listing = Files.list(path)) {
                    listing.filter(p -> p.getFileName().toString().endsWith(".xml") && Files.isRegularFile(p))
                            .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                            .forEach(files::add);
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot list " + path + ": " + e.getMessage());
                }
            } else if (Files.isRegularFile(path)) {
                files.add(path);
            } else {
                throw new IllegalArgumentException("no such file or directory: " + path);
            }
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no XML files to send");
        }
        for (Path file : files) {
            if (!MESSAGE_ID.matcher(messageId(file)).matches()) {
                throw new IllegalArgumentException("file name " + file.getFileName() + " is not a message id"
                        + " (1-200 printable characters without white space): rename it");
            }
        }
        return files;
    }

    /** The command line. */
    record Options(URI url, String sender, String interfaceName, String qualityOfService, String queueId,
                   int threads, int retries, Duration timeout, List<Path> paths, boolean help,
                   int generate, int payloadBytes, int queues, String idPrefix, int batch, int rate,
                   SoapSender.Credentials credentials) {


        boolean inOrder() {
            return EXACTLY_ONCE_IN_ORDER.equals(qualityOfService);
        }

        boolean generated() {
            return generate > 0;
        }

        /** The usage text, from the options' own descriptions. */
        static String usage() {
            return new CommandLine(new Arguments()).setUsageHelpWidth(110).getUsageMessage(CommandLine.Help.Ansi.OFF);
        }

        static Options parse(String[] args) {
            Arguments parsed = new Arguments();
            try {
                new CommandLine(parsed).setCaseInsensitiveEnumValuesAllowed(false).parseArgs(args);
            } catch (CommandLine.ParameterException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
            if (parsed.help) {
                return new Options(URI.create(Arguments.DEFAULT_URL), null, null, EXACTLY_ONCE, null, 4, 10,
                        Duration.ofSeconds(30), List.of(), true, 0, LoadGenerator.Plan.MIN_PAYLOAD_BYTES, 0, "load", 1, 0, null);
            }
            URI url = uri(parsed.url);
            String sender = parsed.sender;
            String interfaceName = parsed.interfaceName;
            String qos = parsed.qualityOfService;
            String queueId = parsed.queueId;
            int threads = number(parsed.threads, "--threads", 1, 256);
            int retries = number(parsed.retries, "--retries", 0, 1000);
            int timeoutSeconds = number(parsed.timeout, "--timeout", 1, 3600);
            int generate = parsed.generate == null ? 0 : number(parsed.generate, "--generate", 1, 100_000_000);
            int payloadBytes = number(parsed.size, "--size", LoadGenerator.Plan.MIN_PAYLOAD_BYTES, 64 * 1024 * 1024);
            int queues = parsed.queues == null ? 0 : number(parsed.queues, "--queues", 1, 1_000_000);
            int batch = number(parsed.batch, "--batch", 1, 500);
            int rate = parsed.rate == null ? 0 : number(parsed.rate, "--rate", 1, 1_000_000);
            String idPrefix = parsed.idPrefix == null ? "load-" + System.currentTimeMillis() : idPrefix(parsed.idPrefix);
            String user = parsed.user;
            List<Path> paths = parsed.paths;
            if (sender == null || interfaceName == null) {
                throw new IllegalArgumentException("--sender and --interface are required");
            }
            if (!qos.equals(EXACTLY_ONCE) && !qos.equals(EXACTLY_ONCE_IN_ORDER)) {
                throw new IllegalArgumentException("--qos " + qos + " is not ExactlyOnce or ExactlyOnceInOrder");
            }
            if (generate > 0) {
                if (!paths.isEmpty() || queueId != null) {
                    throw new IllegalArgumentException("--generate sends generated messages: no files, no --queue-id"
                            + " (in order: --queues)");
                }
                if (qos.equals(EXACTLY_ONCE_IN_ORDER) != (queues > 0)) {
                    throw new IllegalArgumentException("--queues goes with --qos ExactlyOnceInOrder, and only with it");
                }
                if (rate > 0 && (queues > 0 || batch > 1)) {
                    throw new IllegalArgumentException("--rate goes with Exactly Once, one message per send: no --queues,"
                            + " no --batch");
                }
            } else {
                if (batch > 1 || rate > 0) {
                    throw new IllegalArgumentException("--batch and --rate go with --generate");
                }
                if (qos.equals(EXACTLY_ONCE_IN_ORDER) != (queueId != null)) {
                    throw new IllegalArgumentException("--queue-id goes with --qos ExactlyOnceInOrder, and only with it");
                }
                if (paths.isEmpty()) {
                    throw new IllegalArgumentException("no file or directory given");
                }
            }
            return new Options(url, sender, interfaceName, qos, queueId, threads, retries,
                    Duration.ofSeconds(timeoutSeconds), List.copyOf(paths), false, generate, payloadBytes, queues, idPrefix,
                    batch, rate, user == null ? null : credentials(user));
        }

        /** {@code NAME:PASSWORD}, or {@code NAME} with the password from {@code $COURIER_PASSWORD} or the console. */
        private static SoapSender.Credentials credentials(String user) {
            int colon = user.indexOf(':');
            if (colon > 0) {
                return new SoapSender.Credentials(user.substring(0, colon), user.substring(colon + 1));
            }
            if (colon == 0 || user.isBlank()) {
                throw new IllegalArgumentException("--user needs a user name");
            }
            String password = System.getenv("COURIER_PASSWORD");
            if (password == null && System.console() != null) {
                char[] typed = System.console().readPassword("Password for %s: ", user);
                password = typed == null ? null : new String(typed);
            }
            if (password == null || password.isEmpty()) {
                throw new IllegalArgumentException("--user " + user + ": no password (give NAME:PASSWORD, set"
                        + " COURIER_PASSWORD, or run it in a terminal)");
            }
            return new SoapSender.Credentials(user, password);
        }

        /** A prefix of generated ids: what remains of a message id once a dash and 8 digits are added. */
        private static String idPrefix(String value) {
            if (!MESSAGE_ID.matcher(value + "-00000000").matches() || value.length() > 180) {
                throw new IllegalArgumentException("--id-prefix " + value + " is not the start of a message id"
                        + " (printable characters without white space, at most 180)");
            }
            return value;
        }

        private static int number(String value, String option, int min, int max) {
            try {
                int n = Integer.parseInt(value);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException notANumber) {
                // reported below
            }
            throw new IllegalArgumentException(option + " " + value + " is not a whole number from " + min + " to " + max);
        }

        private static URI uri(String value) {
            try {
                URI uri = URI.create(value);
                if (uri.getScheme() != null && uri.getScheme().startsWith("http") && uri.getHost() != null) {
                    return uri;
                }
            } catch (IllegalArgumentException invalid) {
                // reported below
            }
            throw new IllegalArgumentException("--url " + value + " is not an http(s) URL");
        }
    }

    /**
     * The command line as picocli reads it (options in any order, {@code --option=value} or
     * {@code --option value}, {@code --} before file names that start with a dash, the usage text
     * from these descriptions); {@link Options#parse} checks the values and their combinations.
     */
    @Command(name = "java -jar courier-loader.jar", sortOptions = false, usageHelpAutoWidth = false,
            customSynopsis = {
                    "java -jar courier-loader.jar --sender S --interface I [options] FILE|DIR...",
                    "       java -jar courier-loader.jar --sender S --interface I --generate N [options]"},
            description = {
                    "Sends each XML file (a directory: its *.xml files, by name) as one message;",
                    "the message id is the file name without .xml.",
                    "With --generate: sends N generated messages as a load generator and prints",
                    "acknowledgements per second and acknowledgement latency (median, p99)."})
    static final class Arguments {

        static final String DEFAULT_URL = "http://localhost:8080/courier/CourierService";

        @Option(names = "--url", paramLabel = "URL", description = "Courier's SOAP endpoint (default " + DEFAULT_URL + ")")
        String url = DEFAULT_URL;
        @Option(names = "--user", paramLabel = "NAME[:PW]", description = {"authenticate as this Courier user (HTTP Basic);",
                "without :PW the password comes from $COURIER_PASSWORD, else it is asked for"})
        String user;
        @Option(names = "--sender", paramLabel = "S", description = "sender system (required)")
        String sender;
        @Option(names = "--interface", paramLabel = "I", description = "interface name (required)")
        String interfaceName;
        @Option(names = "--qos", paramLabel = "Q", description = "ExactlyOnce (default) or ExactlyOnceInOrder")
        String qualityOfService = EXACTLY_ONCE;
        @Option(names = "--queue-id", paramLabel = "Q", description = "the in-order queue (required with ExactlyOnceInOrder)")
        String queueId;
        @Option(names = "--threads", paramLabel = "N", description = "parallel sends for ExactlyOnce (default 4; in order: always 1)")
        String threads = "4";
        @Option(names = "--retries", paramLabel = "N", description = "sends again after no answer or a retryable fault (default 10)")
        String retries = "10";
        @Option(names = "--timeout", paramLabel = "SECONDS", description = "per request (default 30)")
        String timeout = "30";
        @Option(names = "--generate", paramLabel = "N", description = "load generator: N messages instead of files")
        String generate;
        @Option(names = "--size", paramLabel = "BYTES", description = "generated payload size in bytes (default 1024)")
        String size = "1024";
        @Option(names = "--queues", paramLabel = "Q",
                description = "generated in-order load: spread over Q queues (with ExactlyOnceInOrder)")
        String queues;
        @Option(names = "--batch", paramLabel = "B",
                description = "generated load: B messages per sendBatch call (default 1: one send each)")
        String batch = "1";
        @Option(names = "--rate", paramLabel = "R", description = {
                "generated Exactly Once load: open loop, R messages per second whatever the answers",
                "(up to --threads at once; latency counted from when each was due); default: each",
                "thread sends its next message when the last one is acknowledged"})
        String rate;
        @Option(names = "--id-prefix", paramLabel = "P", description = {
                "generated message ids are P-00000000, P-00000001, ... (default: load-<time>);",
                "the same prefix again re-sends the same ids (measures duplicates)"})
        String idPrefix;
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "this text")
        boolean help;
        @Parameters(paramLabel = "FILE|DIR", arity = "0..*", description = "XML files, or directories of them")
        List<Path> paths = new ArrayList<>();
    }

    /** Counts of outcomes, and the files that were not acknowledged with why. */
    static final class Summary {

        private final int total;
        private final AtomicInteger accepted = new AtomicInteger();
        private final AtomicInteger duplicates = new AtomicInteger();
        private final AtomicInteger faults = new AtomicInteger();
        private final AtomicInteger unanswered = new AtomicInteger();
        private final Map<Path, String> problems = new ConcurrentHashMap<>();

        Summary(int total) {
            this.total = total;
        }

        void add(Path file, Outcome outcome) {
            switch (outcome.kind()) {
                case ACCEPTED -> accepted.incrementAndGet();
                case DUPLICATE -> duplicates.incrementAndGet();
                case FAULT -> {
                    faults.incrementAndGet();
                    problems.put(file, outcome.faultCode() + (outcome.retryable() ? " (retryable, gave up)" : "")
                            + ": " + outcome.detail());
                }
                case NO_ANSWER -> {
                    unanswered.incrementAndGet();
                    problems.put(file, "no answer (unknown whether accepted; send it again): " + outcome.detail());
                }
            }
        }

        int done() {
            return accepted.get() + duplicates.get() + faults.get() + unanswered.get();
        }

        int accepted() {
            return accepted.get();
        }

        int duplicates() {
            return duplicates.get();
        }

        int faults() {
            return faults.get();
        }

        int unanswered() {
            return unanswered.get();
        }

        /** Prints the summary; the exit code. */
        int print(PrintStream out) {
            out.printf("%d files: %d accepted, %d duplicates (accepted before), %d faults, %d without answer%n",
                    total, accepted(), duplicates(), faults(), unanswered());
            problems.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(p -> out.println("  " + p.getKey().getFileName() + ": " + p.getValue()));
            return faults() + unanswered() == 0 ? 0 : 1;
        }
    }

    /**
     * Progress on the error stream, for more than one message (me.tongfei:progressbar): in a
     * terminal one bar redrawn in place; otherwise (a CI log, a file) a plain line every
     * {@value #LOG_EVERY_MILLIS} ms and one at the end, never carriage-return frames.
     */
    static final class Progress {

        static final int LOG_EVERY_MILLIS = 5_000;
        /** At most this wide outside a terminal (in one, the terminal's width). */
        private static final int LINE = 160;
        private final ProgressBar bar;

        Progress(int total, PrintStream err) {
            this(total, err, System.console() != null && err == System.err);
        }

        Progress(int total, PrintStream err, boolean terminal) {
            this.bar = total <= 1 ? null : new ProgressBarBuilder()
                    .setTaskName("Sending")
                    .setInitialMax(total)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(terminal ? 100 : LOG_EVERY_MILLIS)
                    .setConsumer(terminal ? new ConsoleProgressBarConsumer(err) : new DelegatingProgressBarConsumer(err::println, LINE))
                    .setMaxRenderedLength(LINE)
                    .showSpeed()
                    .build();
        }

        void update(Summary s) {
            show(s.done(), s.accepted(), s.duplicates(), s.faults(), s.unanswered());
        }

        void done(Summary s) {
            update(s);
            close();
        }

        void update(LoadGenerator.Report r) {
            show(r.done(), r.accepted(), r.duplicates(), r.faults(), r.unanswered());
        }

        void done(LoadGenerator.Report r) {
            update(r);
            close();
        }

        private void show(int done, int accepted, int duplicates, int faults, int unanswered) {
            if (bar != null) {
                bar.stepTo(done);
                bar.setExtraMessage(String.format(" accepted %d  duplicate %d  fault %d  no answer %d",
                        accepted, duplicates, faults, unanswered));
            }
        }

        private void close() {
            if (bar != null) {
                bar.close();
            }
        }
    }
}
