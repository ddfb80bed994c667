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

    static final String USAGE = """
            Usage: java -jar courier-loader.jar --sender S --interface I [options] FILE|DIR...
                   java -jar courier-loader.jar --sender S --interface I --generate N [options]
              Sends each XML file (a directory: its *.xml files, by name) as one message;
              the message id is the file name without .xml.
              With --generate: sends N generated messages as a load generator and prints
              acknowledgements per second and acknowledgement latency (median, p99).
              --url URL          Courier's SOAP endpoint (default http://localhost:8080/courier/CourierService)
              --user NAME[:PW]   authenticate as this Courier user (HTTP Basic); without :PW the password
                                 comes from $COURIER_PASSWORD, else it is asked for
              --sender S         sender system (required)
              --interface I      interface name (required)
              --qos Q            ExactlyOnce (default) or ExactlyOnceInOrder
              --queue-id Q       the in-order queue (required with ExactlyOnceInOrder)
              --threads N        parallel sends for ExactlyOnce (default 4; in order: always 1)
              --retries N        sends again after no answer or a retryable fault (default 10)
              --timeout SECONDS  per request (default 30)
              --generate N       load generator: N messages instead of files
              --size BYTES       generated payload size in bytes (default 1024)
              --queues Q         generated in-order load: spread over Q queues (with ExactlyOnceInOrder)
              --batch B          generated load: B messages per sendBatch call (default 1: one send each)
              --id-prefix P      generated message ids are P-00000000, P-00000001, ... (default: load-<time>);
                                 the same prefix again re-sends the same ids (measures duplicates)
            """;
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
                out.print(USAGE);
                return 0;
            }
            files = options.generated() ? List.of() : files(options.paths());
        } catch (IllegalArgumentException e) {
            err.println("courier-send: " + e.getMessage());
            err.print(USAGE);
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
        out.printf("Sending %d messages of %d bytes, %s%s, from %d threads%s, ids %s...%n", plan.messages(),
                plan.payloadBytes(), options.qualityOfService(), plan.inOrder() ? " over " + plan.queues() + " queues" : "",
                plan.inOrder() ? Math.min(plan.threads(), plan.queues()) : plan.threads(),
                plan.batch() > 1 ? " in batches of " + plan.batch() : "", plan.messageId(0));
        Progress progress = new Progress(plan.messages(), err);
        LoadGenerator.Report report = new LoadGenerator(sender, options.retries()).run(plan, progress::update);
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
                   int generate, int payloadBytes, int queues, String idPrefix, int batch,
                   SoapSender.Credentials credentials) {

        static final String EXACTLY_ONCE = "ExactlyOnce";
        static final String EXACTLY_ONCE_IN_ORDER = "ExactlyOnceInOrder";

        boolean inOrder() {
            return EXACTLY_ONCE_IN_ORDER.equals(qualityOfService);
        }

        boolean generated() {
            return generate > 0;
        }

        static Options parse(String[] args) {
            URI url = URI.create("http://localhost:8080/courier/CourierService");
            String sender = null;
            String interfaceName = null;
            String qos = EXACTLY_ONCE;
            String queueId = null;
            int threads = 4;
            int retries = 10;
            int timeoutSeconds = 30;
            int generate = 0;
            int payloadBytes = 1024;
            int queues = 0;
            int batch = 1;
            String idPrefix = "load-" + System.currentTimeMillis();
            String user = null;
            List<Path> paths = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--help", "-h" -> {
                        return new Options(url, null, null, qos, null, threads, retries, Duration.ofSeconds(timeoutSeconds),
                                List.of(), true, 0, payloadBytes, 0, idPrefix, 1, null);
                    }
                    case "--url" -> url = uri(value(args, ++i, arg));
                    case "--user" -> user = value(args, ++i, arg);
                    case "--sender" -> sender = value(args, ++i, arg);
                    case "--interface" -> interfaceName = value(args, ++i, arg);
                    case "--qos" -> qos = value(args, ++i, arg);
                    case "--queue-id" -> queueId = value(args, ++i, arg);
                    case "--threads" -> threads = number(value(args, ++i, arg), arg, 1, 256);
                    case "--retries" -> retries = number(value(args, ++i, arg), arg, 0, 1000);
                    case "--timeout" -> timeoutSeconds = number(value(args, ++i, arg), arg, 1, 3600);
                    case "--generate" -> generate = number(value(args, ++i, arg), arg, 1, 100_000_000);
                    case "--size" -> payloadBytes = number(value(args, ++i, arg), arg,
                            LoadGenerator.Plan.MIN_PAYLOAD_BYTES, 64 * 1024 * 1024);
                    case "--queues" -> queues = number(value(args, ++i, arg), arg, 1, 1_000_000);
                    case "--id-prefix" -> idPrefix = idPrefix(value(args, ++i, arg));
                    case "--batch" -> batch = number(value(args, ++i, arg), arg, 1, 500);
                    default -> {
                        if (arg.startsWith("--")) {
                            throw new IllegalArgumentException("unknown option " + arg);
                        }
                        paths.add(Path.of(arg));
                    }
                }
            }
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
            } else {
                if (batch > 1) {
                    throw new IllegalArgumentException("--batch goes with --generate");
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
                    batch, user == null ? null : credentials(user));
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

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
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

    /** A one-line progress bar on the error stream, for more than one file. */
    static final class Progress {

        private static final int WIDTH = 30;
        private final int total;
        private final PrintStream err;
        private final long started = System.nanoTime();
        private long drawn = started - 1_000_000_000L;

        Progress(int total, PrintStream err) {
            this.total = total;
            this.err = err;
        }

        void update(Summary s) {
            update(s.done(), s.accepted(), s.duplicates(), s.faults(), s.unanswered(), false);
        }

        void done(Summary s) {
            update(s.done(), s.accepted(), s.duplicates(), s.faults(), s.unanswered(), true);
        }

        void update(LoadGenerator.Report r) {
            update(r.done(), r.accepted(), r.duplicates(), r.faults(), r.unanswered(), false);
        }

        void done(LoadGenerator.Report r) {
            update(r.done(), r.accepted(), r.duplicates(), r.faults(), r.unanswered(), true);
        }

        /** Redraws the bar at most every 100 ms (and at the end): a bulk send is not slowed by its own output. */
        private synchronized void update(int done, int accepted, int duplicates, int faults, int unanswered, boolean last) {
            long now = System.nanoTime();
            if (total <= 1 || !last && now - drawn < 100_000_000L) {
                return;
            }
            drawn = now;
            int filled = total == 0 ? WIDTH : done * WIDTH / total;
            double seconds = Math.max(0.001, (now - started) / 1e9);
            String line = String.format("[%s%s] %d/%d  accepted %d  duplicate %d  fault %d  no answer %d  %.0f/s",
                    "#".repeat(filled), ".".repeat(WIDTH - filled), done, total, accepted, duplicates, faults,
                    unanswered, done / seconds);
            if (last) {
                err.println("\r" + line);
            } else {
                err.print("\r" + line);
            }
        }
    }
}
