package dev.marketdata.bench;

import dev.marketdata.job.cli.JobSettings;
import dev.marketdata.job.cli.MarketDataOptions;
import dev.marketdata.job.local.JvmFlags;
import dev.marketdata.job.local.LocalPostgres;
import dev.marketdata.job.sink.config.Secret;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code bin/bench}: writes the same synthetic bars into the same {@code bars} table with raw {@code COPY}, the
 * stock Flink {@code JdbcSink}, and this job at-least-once and exactly-once, one scenario after another on one
 * server, and prints rows/s with the ratios between them; then this job's end-to-end latency and heap at half
 * its maximum rate.
 */
public final class BenchMain {

    static final List<String> SCENARIOS =
            List.of("copy", "null", "stock", "alo", "eo", "kafka", "connect", "latency-alo", "latency-eo");
    static final String DELIVERY_KEY = "delivery";

    private final Options options;
    private final PrintStream out;
    private final Path root;
    private final List<Scenario> scenarios = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> profiles = new ArrayList<>();
    private BenchDatabase db;
    private BenchKafka kafka;
    private String connectClassPath;
    private ServerCpu serverCpu;
    private Fingerprint expected;
    private boolean wrong;

    private BenchMain(Options options, PrintStream out, Path root) {
        this.options = options;
        this.out = out;
        this.root = root;
    }

    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.print(Options.HELP);
            System.exit(0);
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage() + " (see --help)");
            System.exit(2);
            return;
        }
        Path root =
                Path.of(System.getProperty("bench.root", ".")).toAbsolutePath().normalize();
        try {
            System.exit(run(options, System.out, root));
        } catch (Exception e) {
            System.err.println("[bench] failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    /** Runs the bench; {@code root} is the project's top directory (for flink-conf/). Returns the exit status. */
    static int run(Options options, PrintStream out, Path root) throws Exception {
        return new BenchMain(options, out, root).run();
    }

    /** Options of one run; see {@link #HELP}. */
    record Options(
            long rows,
            int symbols,
            Set<String> only,
            List<Integer> parallelisms,
            String jdbcUrl,
            Duration checkpointInterval,
            int repeat,
            boolean profile,
            String heap,
            Double latencyRate,
            Integer latencyParallelism,
            int latencySamples,
            Path workDir,
            String database,
            boolean experiments,
            int quietWaitSeconds,
            long warmupRows,
            List<Variant> variants) {

        static final String HELP = """
                Usage: bin/bench [options]

                Writes the same synthetic bars (the project's generator; 1-minute bars, time-major) into the same
                `bars` table (made by the project's migrations, so with the production primary key), emptied
                between scenarios, and prints rows/s and the ratios between:
                  copy         raw COPY of the rows from a CSV file with psql \\copy (the limit)
                  null         the same Flink pipeline with a DiscardingSink: no database (the pipeline's own ceiling)
                  stock        flink-connector-jdbc's JdbcSink, INSERT ... ON CONFLICT DO UPDATE SET c = EXCLUDED.c,
                               batch 5000, reWriteBatchedInserts=true, same source + validation + keyBy as the job
                  alo, eo      this job at-least-once / exactly-once (eo is skipped when the job has no --delivery)
                  kafka        this job exactly-once from a Kafka topic (2 partitions, the same bars as JSON, filled
                               before the clock starts; a broker from Maven Central's jars in its own JVM), bounded
                               with --kafka-bounded
                  connect      Kafka Connect (standalone worker, 2 tasks) with the Debezium JDBC sink, upsert on the
                               same key, from the same bars as JSON with schemas on the same broker, into bars_connect
                               (LIKE bars); timed from the worker's start to the last row visible. Its class path is
                               resolved with Maven from bench/connect/pom.xml on first use
                  latency-alo, latency-eo
                               this job at half its maximum rate: end-to-end latency p50/p99 from a record's
                               scheduled creation to its row being committed and visible, and peak heap
                Each Flink scenario runs in its own JVM with an embedded cluster; rows/s is over the job's run time
                (submission to finish, final commit included). After each scenario the table's row count and
                exact sums are checked: a scenario that loses or repeats rows is reported WRONG (exit status 1).

                Options:
                  --rows N                 rows in total (default 1000000)
                  --symbols N              symbols; rows must be a multiple (default 500)
                  --only LIST              comma-separated subset of: copy,null,stock,alo,eo,kafka,connect,latency,
                                           latency-alo,latency-eo
                  --parallelism LIST       parallelisms of the Flink throughput scenarios (default 1,2)
                  --jdbc-url URL           use this PostgreSQL server (any database on it: the bench drops and
                                           creates a database of its own there, see --database). Default: a
                                           private server started from the installed binaries (default config,
                                           max_prepared_transactions = 64), so every scenario, exactly-once
                                           included, runs on the same server. The password, if any, comes from
                                           MDS_JDBC_PASSWORD.
                  --database NAME          the bench's database, dropped and created afresh (default mds_bench)
                  --checkpoint-interval D  Flink checkpoint interval for every Flink scenario (default 1s)
                  --repeat N               run each throughput scenario N times, interleaved; report the median (default 1)
                  --profile                record the Flink scenarios with Java Flight Recorder and print where the
                                           client CPU goes (files under the work directory)
                  --heap SIZE              -Xmx of each scenario's JVM (default 1g)
                  --warmup-rows N          before a Flink scenario is timed, its JVM runs the same job
                                           over the first N bars into a scratch table, so the timed run starts
                                           with compiled code, as a job that has been running does; 0 for cold
                                           JVMs (default 200000)
                  --latency-rate R         rate of the latency runs (default: half the best measured rate of the mode)
                  --latency-parallelism P  parallelism of the latency runs (default: that of the best measured rate)
                  --latency-samples N      symbols the latency probe watches (default 50)
                  --work-dir DIR           CSV file, logs, recordings, private server (default bench/target/bench-run)
                  --quiet-wait S           before each scenario, wait up to S seconds for the machine to be quiet
                                           (other processes using < 0.3 cores); 0 to not wait (default 30)
                  --variant NAME:K=V[,K=V]  also run the pipeline-only and this-job scenarios with these job options
                                           (e.g. sink.batch.max-rows=20000) or Flink settings (flink:KEY=V, e.g.
                                           flink:pipeline.object-reuse=true), as extra rows "[NAME]"; repeatable
                  --experiments            instead of the scenarios: sink write-path variants side by side, straight
                                           through JDBC without Flink (batch size, key order, text vs binary, index
                                           order, partitions)
                """;

        static Options parse(String[] args) {
            Map<String, String> values = new LinkedHashMap<>();
            Set<String> flags = Set.of("profile", "experiments");
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--")) {
                    throw new IllegalArgumentException("unexpected argument '" + args[i] + "'");
                }
                String name = args[i].substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (name.equals("variant") && value == null && i + 1 < args.length) {
                    values.merge("variant", args[++i], (a, b) -> a + ";" + b);
                    continue;
                }
                if (name.equals("variant") && value != null) {
                    values.merge("variant", value, (a, b) -> a + ";" + b);
                    continue;
                }
                if (flags.contains(name)) {
                    values.put(name, "true");
                    continue;
                }
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--" + name + " needs a value");
                    }
                    value = args[++i];
                }
                values.put(name, value);
            }
            Set<String> known = Set.of(
                    "rows",
                    "symbols",
                    "only",
                    "parallelism",
                    "jdbc-url",
                    "checkpoint-interval",
                    "repeat",
                    "profile",
                    "heap",
                    "latency-rate",
                    "latency-parallelism",
                    "latency-samples",
                    "work-dir",
                    "experiments",
                    "quiet-wait",
                    "variant",
                    "database",
                    "warmup-rows");
            for (String name : values.keySet()) {
                if (!known.contains(name)) {
                    throw new IllegalArgumentException("unknown option --" + name);
                }
            }
            long rows = Long.parseLong(
                    values.getOrDefault("rows", "1000000").replace("_", "").replace(",", ""));
            int symbols = Integer.parseInt(values.getOrDefault("symbols", "500"));
            if (symbols <= 0 || rows <= 0 || rows % symbols != 0) {
                throw new IllegalArgumentException("--rows must be a positive multiple of --symbols");
            }
            Set<String> only = new LinkedHashSet<>();
            for (String s :
                    values.getOrDefault("only", String.join(",", SCENARIOS)).split(",")) {
                s = s.strip();
                if (s.equals("latency")) {
                    only.addAll(List.of("latency-alo", "latency-eo"));
                } else if (SCENARIOS.contains(s)) {
                    only.add(s);
                } else {
                    throw new IllegalArgumentException("--only: unknown scenario '" + s + "'");
                }
            }
            List<Integer> parallelisms = Arrays.stream(
                            values.getOrDefault("parallelism", "1,2").split(","))
                    .map(String::strip)
                    .map(Integer::parseInt)
                    .toList();
            if (parallelisms.stream().anyMatch(p -> p < 1)) {
                throw new IllegalArgumentException("--parallelism must be positive");
            }
            int repeat = Integer.parseInt(values.getOrDefault("repeat", "1"));
            if (repeat < 1) {
                throw new IllegalArgumentException("--repeat must be positive");
            }
            return new Options(
                    rows,
                    symbols,
                    only,
                    parallelisms,
                    values.get("jdbc-url"),
                    parseDuration(values.getOrDefault("checkpoint-interval", "1s")),
                    repeat,
                    values.containsKey("profile"),
                    values.getOrDefault("heap", "1g"),
                    values.containsKey("latency-rate") ? Double.parseDouble(values.get("latency-rate")) : null,
                    values.containsKey("latency-parallelism")
                            ? Integer.parseInt(values.get("latency-parallelism"))
                            : null,
                    Integer.parseInt(values.getOrDefault("latency-samples", "50")),
                    Path.of(values.getOrDefault("work-dir", "bench/target/bench-run")),
                    values.getOrDefault("database", BenchDatabase.DEFAULT_NAME),
                    values.containsKey("experiments"),
                    Integer.parseInt(values.getOrDefault("quiet-wait", "30")),
                    Long.parseLong(values.getOrDefault("warmup-rows", "200000")
                            .replace(",", "")
                            .replace("_", "")),
                    values.containsKey("variant")
                            ? Arrays.stream(values.get("variant").split(";"))
                                    .map(Variant::parse)
                                    .toList()
                            : List.of());
        }

        static Duration parseDuration(String text) {
            Matcher m = Pattern.compile("(\\d+)\\s*(ms|s|min)").matcher(text.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("not a duration like 500ms, 1s or 1min: " + text);
            }
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMinutes(n);
            };
        }

        boolean wants(String scenario) {
            return only.contains(scenario);
        }
    }

    /** Job options and Flink settings that an extra row of a scenario runs with. */
    record Variant(String name, Map<String, String> jobOptions, Map<String, String> flink) {

        static Variant parse(String text) {
            int colon = text.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("--variant wants NAME:KEY=VALUE[,KEY=VALUE], got " + text);
            }
            Map<String, String> job = new LinkedHashMap<>();
            Map<String, String> flink = new LinkedHashMap<>();
            for (String kv : text.substring(colon + 1).split(",")) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--variant: not KEY=VALUE: " + kv);
                }
                String key = kv.substring(0, eq).strip();
                if (key.startsWith("flink:")) {
                    flink.put(
                            key.substring("flink:".length()),
                            kv.substring(eq + 1).strip());
                } else {
                    job.put(key.replaceFirst("^--", ""), kv.substring(eq + 1).strip());
                }
            }
            return new Variant(text.substring(0, colon).strip(), job, flink);
        }

        @Override
        public String toString() {
            List<String> all = new ArrayList<>();
            jobOptions.forEach((k, v) -> all.add("--" + k + " " + v));
            flink.forEach((k, v) -> all.add(k + ": " + v));
            return name + " = " + String.join(", ", all);
        }
    }

    /** One row of the result table and its runs. */
    static final class Scenario {
        final String id;
        final String label;
        final int parallelism;
        final Variant variant;
        final List<Map<String, String>> runs = new ArrayList<>();
        String skipped;

        Scenario(String id, String label, int parallelism) {
            this(id, label, parallelism, null);
        }

        Scenario(String id, String label, int parallelism, Variant variant) {
            this.id = id;
            this.label = variant == null ? label : label + " [" + variant.name() + "]";
            this.parallelism = parallelism;
            this.variant = variant;
        }

        private List<Map<String, String>> ok() {
            return runs.stream()
                    .filter(r -> r.containsKey("seconds") && !r.containsKey("error"))
                    .sorted(Comparator.comparingDouble(Scenario::rate))
                    .toList();
        }

        /**
         * The fastest run, or null. On a machine shared with other work, noise only ever slows a run down, so the
         * fastest of interleaved runs is the closest to what the code can do.
         */
        Map<String, String> best() {
            List<Map<String, String>> ok = ok();
            return ok.isEmpty() ? null : ok.get(ok.size() - 1);
        }

        double medianRate() {
            List<Map<String, String>> ok = ok();
            return ok.isEmpty() ? Double.NaN : rate(ok.get((ok.size() - 1) / 2));
        }

        double rate() {
            Map<String, String> m = best();
            return m == null ? Double.NaN : rate(m);
        }

        static double rate(Map<String, String> run) {
            return Double.parseDouble(run.get("rows")) / Double.parseDouble(run.get("seconds"));
        }
    }

    int run() throws Exception {
        Path work = options.workDir.isAbsolute() ? options.workDir : root.resolve(options.workDir);
        Files.createDirectories(work.resolve("logs"));
        BenchInput input = new BenchInput(options.symbols, options.rows / options.symbols);
        boolean deliveryOption =
                MarketDataOptions.ALL.stream().anyMatch(f -> f.option().key().equals(DELIVERY_KEY));

        LocalPostgres privateServer = null;
        Path privateDir = work.resolve("postgres");
        try {
            PgUrl admin;
            String serverLabel;
            Secret password = Optional.ofNullable(System.getenv(JobSettings.PASSWORD_ENV))
                    .filter(p -> !p.isEmpty())
                    .map(Secret::new)
                    .orElse(null);
            if (options.jdbcUrl == null) {
                Path bin = LocalPostgres.findBinaries()
                        .orElseThrow(
                                () -> new IllegalStateException(
                                        "no PostgreSQL server binaries (initdb, pg_ctl) found; install them or pass --jdbc-url"));
                deleteRecursively(privateDir);
                Files.createDirectories(privateDir.getParent());
                out.println("[bench] Starting a private PostgreSQL from " + bin + " ...");
                privateServer = LocalPostgres.start(bin, privateDir);
                admin = PgUrl.parse(privateServer.jdbcUrl("postgres"));
                serverLabel = "private server on port " + privateServer.port() + " (" + bin
                        + "; default config + max_prepared_transactions = 64)";
            } else {
                admin = PgUrl.parse(options.jdbcUrl);
                serverLabel = admin.host() + ":" + admin.port() + " (given with --jdbc-url)";
            }
            db = BenchDatabase.create(admin, password, options.database);
            serverCpu = db.serverCpu();

            printHeader(input, serverLabel, deliveryOption);
            if (options.experiments) {
                return new SinkExperiments(db, input, out, options.repeat).run();
            }

            expected = input.fingerprint();
            if (options.wants("kafka") || options.wants("connect")) {
                out.println("[bench] Starting a Kafka broker and filling its topics with the " + options.rows
                        + " bars (not timed) ...");
                long t0 = System.nanoTime();
                kafka = BenchKafka.start(work.resolve("kafka"), work.resolve("logs"));
                kafka.fill(input, options.warmupRows);
                out.printf(
                        Locale.ROOT,
                        "[bench]   broker at %s, topics %s / %s (%d partitions) filled in %.1f s%n",
                        kafka.bootstrap(),
                        BenchKafka.TOPIC,
                        BenchKafka.CONNECT_TOPIC,
                        BenchKafka.PARTITIONS,
                        (System.nanoTime() - t0) / 1e9);
            }
            String connectSkip = null;
            if (options.wants("connect")) {
                try {
                    connectClassPath = ConnectWorker.classPath(root, work.resolve("logs"));
                } catch (Exception e) {
                    connectSkip = e.getMessage();
                }
            }
            Path csv = work.resolve("bars.csv");
            if (options.wants("copy")) {
                out.println("[bench] Writing " + options.rows + " rows to " + csv + " (not timed) ...");
                input.writeCsv(csv);
            }

            int maxPrepared = Integer.parseInt(db.setting("max_prepared_transactions"));
            String eoSkip = !deliveryOption
                    ? "this job has no --" + DELIVERY_KEY + " option yet (exactly-once is not on this branch)"
                    : maxPrepared == 0 ? "the server has max_prepared_transactions = 0 (use the private server)" : null;

            if (options.wants("copy")) {
                scenarios.add(new Scenario("copy", "raw COPY (psql \\copy, CSV)", 1));
            }
            for (String id : List.of("null", "stock", "alo", "eo", "kafka")) {
                if (!options.wants(id)) {
                    continue;
                }
                String label =
                        switch (id) {
                            case "null" -> "pipeline only, DiscardingSink";
                            case "stock" -> "stock JdbcSink upsert";
                            case "alo" -> "this job, at-least-once";
                            case "kafka" -> "this job, Kafka, exactly-once";
                            default -> "this job, exactly-once";
                        };
                List<Variant> variants = new ArrayList<>();
                variants.add(null);
                if (!id.equals("stock")) {
                    variants.addAll(options.variants);
                }
                for (Variant variant : variants) {
                    for (int p : options.parallelisms) {
                        Scenario s = new Scenario(id, label, p, variant);
                        if (id.equals("eo") || id.equals("kafka")) {
                            s.skipped = eoSkip;
                        }
                        scenarios.add(s);
                    }
                }
            }
            if (options.wants("connect")) {
                Scenario s = new Scenario("connect", "Kafka Connect, Debezium JDBC", ConnectWorker.TASKS);
                s.skipped = connectSkip;
                scenarios.add(s);
            }

            for (int round = 1; round <= options.repeat; round++) {
                for (Scenario s : scenarios) {
                    if (s.skipped != null) {
                        continue;
                    }
                    String tag = s.id + (s.variant == null ? "" : "-" + s.variant.name()) + "-p" + s.parallelism
                            + (options.repeat > 1 ? "-r" + round : "");
                    out.printf(
                            Locale.ROOT,
                            "[bench] %-32s p=%d%s ... ",
                            s.label,
                            s.parallelism,
                            options.repeat > 1 ? " (round " + round + "/" + options.repeat + ")" : "");
                    out.flush();
                    db.reset();
                    waitForQuiet();
                    Map<String, String> result =
                            switch (s.id) {
                                case "copy" -> runCopy(csv, work);
                                case "connect" ->
                                    ConnectWorker.run(
                                            db,
                                            kafka,
                                            connectClassPath,
                                            work,
                                            tag,
                                            options.heap,
                                            options.rows,
                                            Math.max(120, options.rows / 2000),
                                            serverCpu);
                                default ->
                                    runFlink(
                                            s.id.equals("stock") || s.id.equals("null") ? s.id : "job",
                                            s.id,
                                            s.parallelism,
                                            null,
                                            work,
                                            tag,
                                            deliveryOption,
                                            s.variant);
                            };
                    check(result, s.id.equals("connect") ? ConnectWorker.TABLE : "bars");
                    s.runs.add(result);
                    out.println(
                            result.containsKey("error")
                                    ? "FAILED: " + result.get("error")
                                    : String.format(
                                            Locale.ROOT,
                                            "%.1f s, %,.0f rows/s%s",
                                            Double.parseDouble(result.get("seconds")),
                                            Scenario.rate(result),
                                            result.containsKey("wrong") ? "  WRONG: " + result.get("wrong") : ""));
                }
            }

            // Latency: plan each mode's rate from the measured maximum, then run the modes interleaved.
            record LatencyPlan(
                    String mode, String label, double rate, int p, String why, List<Map<String, String>> runs) {}
            List<LatencyPlan> plans = new ArrayList<>();
            for (String mode : List.of("alo", "eo")) {
                if (!options.wants("latency-" + mode)) {
                    continue;
                }
                String label = mode.equals("alo") ? "at-least-once" : "exactly-once";
                if (mode.equals("eo") && eoSkip != null) {
                    notes.add("latency, exactly-once: skipped: " + eoSkip);
                    continue;
                }
                Optional<Scenario> best = scenarios.stream()
                        .filter(s -> s.id.equals(mode) && s.variant == null && !Double.isNaN(s.rate()))
                        .max(Comparator.comparingDouble(Scenario::rate));
                if (options.latencyRate != null) {
                    plans.add(new LatencyPlan(
                            mode,
                            label,
                            options.latencyRate,
                            options.latencyParallelism != null
                                    ? options.latencyParallelism
                                    : best.map(s -> s.parallelism).orElse(1),
                            "--latency-rate",
                            new ArrayList<>()));
                } else if (best.isPresent()) {
                    plans.add(new LatencyPlan(
                            mode,
                            label,
                            Math.floor(best.get().rate() / 2),
                            options.latencyParallelism != null ? options.latencyParallelism : best.get().parallelism,
                            String.format(
                                    Locale.ROOT,
                                    "half of %,.0f rows/s (p=%d)",
                                    best.get().rate(),
                                    best.get().parallelism),
                            new ArrayList<>()));
                } else {
                    notes.add("latency, " + label + ": skipped: no measured maximum rate (run '" + mode
                            + "' too, or give --latency-rate)");
                }
            }
            for (int round = 1; round <= options.repeat; round++) {
                for (LatencyPlan plan : plans) {
                    out.printf(
                            Locale.ROOT,
                            "[bench] latency, %-22s p=%d at %,.0f rows/s%s ... ",
                            plan.label(),
                            plan.p(),
                            plan.rate(),
                            options.repeat > 1 ? " (round " + round + "/" + options.repeat + ")" : "");
                    out.flush();
                    db.reset();
                    waitForQuiet();
                    Map<String, String> r = runFlink(
                            "job-latency",
                            plan.mode(),
                            plan.p(),
                            plan.rate(),
                            work,
                            "latency-" + plan.mode() + "-p" + plan.p() + (options.repeat > 1 ? "-r" + round : ""),
                            deliveryOption,
                            null);
                    check(r, "bars");
                    plan.runs().add(r);
                    out.println(
                            r.containsKey("error")
                                    ? "FAILED: " + r.get("error")
                                    : String.format(
                                            Locale.ROOT,
                                            "p50 %.0f ms, p99 %.0f ms%s",
                                            d(r, "p50Ms"),
                                            d(r, "p99Ms"),
                                            r.containsKey("wrong") ? "  WRONG: " + r.get("wrong") : ""));
                }
            }
            List<String[]> latencyRows = new ArrayList<>();
            for (LatencyPlan plan : plans) {
                List<Map<String, String>> ok = plan.runs().stream()
                        .filter(r -> !r.containsKey("error"))
                        .sorted(Comparator.comparingDouble(r -> d(r, "p99Ms")))
                        .toList();
                if (ok.isEmpty()) {
                    latencyRows.add(new String[] {
                        plan.label(),
                        Integer.toString(plan.p()),
                        fmtRate(plan.rate()),
                        plan.why(),
                        "FAILED",
                        "-",
                        "-",
                        "-",
                        "-",
                        "-"
                    });
                    plan.runs().stream()
                            .findFirst()
                            .ifPresent(r -> notes.add("latency, " + plan.label() + ": " + r.get("error")));
                    continue;
                }
                Map<String, String> r = ok.get(0);
                String p99 = String.format(Locale.ROOT, "%.0f", d(r, "p99Ms"));
                if (ok.size() > 1) {
                    p99 += String.format(
                            Locale.ROOT, " (%.0f-%.0f)", d(ok.get(0), "p99Ms"), d(ok.get(ok.size() - 1), "p99Ms"));
                }
                latencyRows.add(new String[] {
                    plan.label(),
                    Integer.toString(plan.p()),
                    fmtRate(plan.rate()),
                    plan.why(),
                    fmtRate(Scenario.rate(r)),
                    String.format(Locale.ROOT, "%.0f", d(r, "p50Ms")),
                    p99,
                    String.format(Locale.ROOT, "%.0f", d(r, "maxMs")),
                    String.format(Locale.ROOT, "%,d", Long.parseLong(r.get("latencySamples"))),
                    String.format(Locale.ROOT, "%.0f / %.0f", d(r, "peakHeapMiB"), d(r, "peakLiveHeapMiB"))
                });
            }

            printResults(latencyRows);
            return wrong ? 1 : 0;
        } finally {
            if (kafka != null) {
                kafka.close();
            }
            if (db != null) {
                try {
                    db.drop();
                } catch (Exception e) {
                    out.println("[bench] could not drop " + db.name() + ": " + e.getMessage());
                }
            }
            if (privateServer != null) {
                privateServer.close();
                deleteRecursively(privateDir);
            }
        }
    }

    private void waitForQuiet() throws InterruptedException {
        if (options.quietWaitSeconds > 0) {
            double waited = MachineCpu.waitForQuiet(0.3, options.quietWaitSeconds * 1000L);
            if (waited < 0) {
                out.print("(machine still busy after " + options.quietWaitSeconds + " s; running anyway) ");
            }
        }
    }

    private void check(Map<String, String> result, String table) throws Exception {
        if (result.containsKey("error")) {
            wrong = true;
            return;
        }
        Fingerprint actual = db.fingerprint(table);
        result.put("rows", Long.toString(actual.rows()));
        if (result.containsKey("discarded")) {
            result.put("rows", Long.toString(expected.rows()));
            if (actual.rows() != 0) {
                wrong = true;
                result.put("wrong", "a DiscardingSink run left " + actual.rows() + " rows");
            }
        } else if (!actual.equals(expected)) {
            wrong = true;
            result.put("wrong", "table holds " + actual + ", expected " + expected);
        }
    }

    private Map<String, String> runCopy(Path csv, Path work) throws Exception {
        PgUrl url = db.url();
        String columns = String.join(", ", new dev.marketdata.job.sink.table.BarTable().columns());
        List<String> command = List.of(
                "bash",
                "-c",
                "psql \"$@\" >/dev/null; rc=$?; times >&2; exit $rc",
                "psql",
                "-X",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                url.host(),
                "-p",
                Integer.toString(url.port()),
                "-U",
                url.user(),
                "-d",
                url.database(),
                "-c",
                "\\copy bars (" + columns + ") FROM '" + csv + "' (FORMAT csv)");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(false);
        if (db.password() != null) {
            pb.environment().put("PGPASSWORD", db.password().reveal());
        }
        Path log = work.resolve("logs").resolve("copy.err");
        pb.redirectError(log.toFile());
        double cpuBefore = serverCpu.seconds();
        double machineBefore = MachineCpu.busySeconds();
        long start = System.nanoTime();
        Process process = pb.start();
        int rc = process.waitFor();
        long elapsed = System.nanoTime() - start;
        double machine = MachineCpu.busySeconds() - machineBefore;
        Map<String, String> result = new LinkedHashMap<>();
        if (rc != 0) {
            result.put(
                    "error", "psql exited " + rc + ": " + Files.readString(log).strip());
            return result;
        }
        Thread.sleep(300);
        result.put("seconds", Double.toString(elapsed / 1e9));
        result.put("serverCpuSeconds", Double.toString(serverCpu.seconds() - cpuBefore));
        result.put("machineBusySeconds", Double.toString(machine));
        // `times` prints the shell's own user/sys times, then its children's (psql): "0m0.120s 0m0.030s".
        List<String> times = Files.readAllLines(log);
        if (times.size() >= 2) {
            Matcher m = Pattern.compile("(\\d+)m([\\d.]+)s (\\d+)m([\\d.]+)s").matcher(times.get(times.size() - 1));
            if (m.find()) {
                result.put(
                        "clientCpuSeconds",
                        Double.toString(Integer.parseInt(m.group(1)) * 60
                                + Double.parseDouble(m.group(2))
                                + Integer.parseInt(m.group(3)) * 60
                                + Double.parseDouble(m.group(4))));
            }
        }
        return result;
    }

    private Map<String, String> runFlink(
            String kind,
            String mode,
            int parallelism,
            Double rate,
            Path work,
            String tag,
            boolean deliveryOption,
            Variant variant)
            throws Exception {
        Path dlq = work.resolve("dlq").resolve(tag);
        deleteRecursively(dlq);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JvmFlags.fromRepository(root));
        command.add("-Xmx" + options.heap);
        Path jfr = work.resolve(tag + ".jfr");
        boolean profile = options.profile && !kind.equals("job-latency");
        if (profile) {
            Files.deleteIfExists(jfr);
            command.add("-XX:StartFlightRecording=filename=" + jfr
                    + ",settings=profile,jdk.ExecutionSample#period=1ms,dumponexit=true");
        }
        command.add("-Dlog4j.configurationFile=" + root.resolve("flink-conf/log4j-run-local.properties"));
        command.add("-Dlog.file=" + work.resolve("logs").resolve(tag + ".log"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ScenarioMain.class.getName());
        command.add(kind);
        if (options.warmupRows > 0) {
            command.addAll(List.of("--warmup-rows", Long.toString(options.warmupRows)));
        }
        // The scenario's JVM meters the server itself, around the timed run only (not the warm-up).
        command.addAll(List.of("--postmaster-pid", Long.toString(serverCpu.postmasterPid())));
        if (kind.equals("job-latency")) {
            // Records scheduled in the first 2 s (at most a fifth of the run) are not counted: the job starting.
            long warmupMs = Math.min(2000, (long) (options.rows / rate * 1000 / 5));
            command.addAll(List.of("--warmup-ms", Long.toString(warmupMs)));
            command.addAll(List.of(
                    "--latency-samples",
                    Integer.toString(options.latencySamples),
                    "--latency-dump",
                    work.resolve("logs").resolve(tag + ".latency.csv").toString()));
        }
        if (variant != null) {
            variant.flink().forEach((k, v) -> command.addAll(List.of("--flink:" + k, v)));
        }
        if (mode.equals("kafka")) {
            // The scenario's JVM meters the broker too, around the timed run.
            command.addAll(List.of(
                    "--kafka-warmup-topic", BenchKafka.WARMUP_TOPIC, "--broker-pid", Long.toString(kafka.pid())));
        }
        command.add("--");
        command.addAll(List.of(
                "--symbols", Integer.toString(options.symbols),
                "--bars-per-symbol", Long.toString(options.rows / options.symbols),
                "--rate", rate == null ? "0" : Double.toString(rate),
                "--seed", Long.toString(BenchInput.SEED),
                "--start", BenchInput.START.toString(),
                "--jdbc-url", db.url().jdbc(),
                "--parallelism", Integer.toString(parallelism),
                "--checkpoint-interval", options.checkpointInterval.toMillis() + "ms",
                "--dlq-dir", dlq.toString(),
                "--job-name", "bench-" + tag));
        if (deliveryOption && kind.startsWith("job")) {
            command.addAll(List.of(
                    "--" + DELIVERY_KEY, mode.equals("eo") || mode.equals("kafka") ? "exactly-once" : "at-least-once"));
        }
        if (mode.equals("kafka")) {
            command.addAll(List.of(
                    "--source",
                    "kafka",
                    "--kafka-bootstrap",
                    kafka.bootstrap(),
                    "--kafka-topic-bars",
                    BenchKafka.TOPIC,
                    "--kafka-bounded",
                    "true",
                    "--kafka-starting-offsets",
                    "earliest",
                    "--kafka-group",
                    "bench-" + tag));
        }
        if (variant != null && !kind.equals("null")) {
            variant.jobOptions().forEach((k, v) -> command.add("--" + k + "=" + v));
        }
        Path console = work.resolve("logs").resolve(tag + ".out");
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(console.toFile());
        double cpuBefore = serverCpu.seconds();
        Process process = pb.start();
        int rc = process.waitFor();
        Thread.sleep(300); // lets the job's backends exit, so the postmaster has counted their CPU
        double serverSeconds = serverCpu.seconds() - cpuBefore;
        Map<String, String> result = new LinkedHashMap<>();
        Optional<String> line = Files.readAllLines(console).stream()
                .filter(l -> l.startsWith(ScenarioMain.RESULT))
                .findFirst();
        if (rc != 0 || line.isEmpty()) {
            result.put("error", "exit " + rc + ", see " + console + " and the .log next to it");
            return result;
        }
        for (String kv : line.get().substring(ScenarioMain.RESULT.length()).split(" ")) {
            int eq = kv.indexOf('=');
            result.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        result.putIfAbsent("serverCpuSeconds", Double.toString(serverSeconds));
        if (kind.equals("null")) {
            result.put("discarded", "true");
        }
        if (profile && Files.exists(jfr)) {
            profiles.add("### " + tag + " (" + jfr + ")\n"
                    + JfrSummary.summarize(
                            jfr,
                            15,
                            Long.parseLong(result.get("executeStartMs")),
                            Long.parseLong(result.get("executeEndMs"))));
        }
        return result;
    }

    private void printHeader(BenchInput input, String serverLabel, boolean deliveryOption) throws Exception {
        out.println("[bench] Machine: " + Runtime.getRuntime().availableProcessors() + " cores (" + cpuModel() + "), "
                + memory() + ", load average " + loadAverage() + "; Java " + System.getProperty("java.version"));
        out.println("[bench] PostgreSQL: " + db.setting("server_version") + ", " + serverLabel);
        out.println("[bench]   shared_buffers " + db.setting("shared_buffers") + ", max_wal_size "
                + db.setting("max_wal_size") + ", synchronous_commit " + db.setting("synchronous_commit") + ", fsync "
                + db.setting("fsync") + ", max_prepared_transactions " + db.setting("max_prepared_transactions"));
        out.println("[bench] Table bars: " + db.primaryKey() + " (from the project's migrations), TRUNCATE + CHECKPOINT"
                + " before each scenario");
        out.printf(
                Locale.ROOT,
                "[bench] Input: %,d bars = %d symbols x %d one-minute bars, seed %d, time-major%n",
                input.rows(),
                options.symbols,
                input.spec().stepsPerSymbol(),
                BenchInput.SEED);
        out.println("[bench] Flink scenarios: embedded cluster in a fresh JVM each (-Xmx" + options.heap
                + "), warmed up on " + options.warmupRows + " rows before the timed run"
                + ", checkpoint every " + options.checkpointInterval.toMillis() + " ms, job batch "
                + "5000 rows / 500 ms, stock sink batch " + StockJdbcSink.BATCH_SIZE + " / 500 ms"
                + (deliveryOption ? "" : "; this job has no --delivery option: it runs at-least-once (idempotent)"));
    }

    private void printResults(List<String[]> latencyRows) {
        options.variants.forEach(v -> notes.add("variant " + v));
        double copy = scenarios.stream()
                .filter(s -> s.id.equals("copy"))
                .mapToDouble(Scenario::rate)
                .findFirst()
                .orElse(Double.NaN);
        double stock1 = scenarios.stream()
                .filter(s -> s.id.equals("stock") && s.parallelism == 1)
                .mapToDouble(Scenario::rate)
                .findFirst()
                .orElse(Double.NaN);
        double stockBest = scenarios.stream()
                .filter(s -> s.id.equals("stock"))
                .mapToDouble(Scenario::rate)
                .filter(r -> !Double.isNaN(r))
                .max()
                .orElse(Double.NaN);
        boolean repeated = options.repeat > 1;
        List<String> header = new ArrayList<>(List.of(
                "scenario",
                "p",
                "rows",
                "seconds",
                "rows/s",
                "vs raw COPY",
                "vs stock p=1",
                "vs stock best",
                "client CPU s",
                "server CPU s",
                "other CPU s",
                "peak heap MiB (used / live)"));
        if (repeated) {
            header.set(3, "seconds (range)");
            header.set(4, "rows/s (best)");
            header.add(5, "rows/s (median)");
        }
        TextTable table = new TextTable(header.toArray(String[]::new))
                .alignRight(java.util.stream.IntStream.range(1, header.size()).toArray());
        for (Scenario s : scenarios) {
            String p = s.id.equals("copy") ? "-" : Integer.toString(s.parallelism);
            if (s.skipped != null) {
                table.add(cells(repeated, s.label, p, "-", "-", "skipped", "-", "-", "-", "-", "-", "-", "-", "-"));
                notes.add(s.label + " p=" + s.parallelism + ": skipped: " + s.skipped);
                continue;
            }
            Map<String, String> m = s.best();
            if (m == null) {
                table.add(cells(repeated, s.label, p, "-", "-", "FAILED", "-", "-", "-", "-", "-", "-", "-", "-"));
                s.runs.stream()
                        .filter(r -> r.containsKey("error"))
                        .findFirst()
                        .ifPresent(r -> notes.add(s.label + " p=" + s.parallelism + ": " + r.get("error")));
                continue;
            }
            double rate = Scenario.rate(m);
            String rows = String.format(Locale.ROOT, "%,d", Long.parseLong(m.get("rows")))
                    + (m.containsKey("discarded") ? " (discarded)" : "");
            if (m.containsKey("wrong")) {
                rows += " WRONG";
                notes.add(s.label + " p=" + s.parallelism + ": " + m.get("wrong"));
            }
            table.add(cells(
                    repeated,
                    s.label,
                    p,
                    rows,
                    String.format(Locale.ROOT, "%.2f", d(m, "seconds")) + spread(s),
                    fmtRate(rate),
                    fmtRate(s.medianRate()),
                    ratio(rate, copy),
                    ratio(rate, stock1),
                    ratio(rate, stockBest),
                    fmt1(m.get("clientCpuSeconds"))
                            + (m.containsKey("jitSeconds")
                                    ? String.format(
                                            Locale.ROOT, " (JIT %.1f, GC %.1f)", d(m, "jitSeconds"), d(m, "gcSeconds"))
                                    : ""),
                    fmt1(m.get("serverCpuSeconds")),
                    other(m),
                    m.containsKey("peakHeapMiB")
                            ? String.format(Locale.ROOT, "%.0f / %.0f", d(m, "peakHeapMiB"), d(m, "peakLiveHeapMiB"))
                            : "-"));
        }
        out.println();
        out.println(table);
        if (repeated) {
            out.println(
                    options.repeat + " interleaved runs of each scenario: rows/s, ratios, CPU and heap are those of the"
                            + " fastest run (other work on the machine only ever slows a run down); seconds shows the"
                            + " range over the runs.");
        }
        kafkaSummary();
        out.println("rows/s = rows / seconds; Flink scenarios: seconds from job submission to job finished (the last"
                + " commit included), excluding JVM and cluster start-up; raw COPY: the psql process. CPU seconds: the"
                + " scenario's JVM (or psql; of which JIT compiler and GC threads in brackets), every PostgreSQL process, and everything else on the machine meanwhile (other"
                + " users' work: noise). Peak heap: the scenario JVM's heap in use,"
                + " sampled every 5 ms / the most still live after a GC.");
        if (!latencyRows.isEmpty()) {
            TextTable latency = new TextTable(
                            "this job",
                            "p",
                            "rate cap rows/s",
                            "why that rate",
                            "achieved rows/s",
                            "p50 ms",
                            "p99 ms",
                            "max ms",
                            "samples",
                            "peak heap MiB (used / live)")
                    .alignRight(1, 2, 4, 5, 6, 7, 8, 9);
            latencyRows.forEach(latency::add);
            out.println();
            out.println(latency);
            if (options.repeat > 1) {
                out.println(
                        options.repeat + " interleaved runs of each: the run with the lowest p99 (range in brackets).");
            }
            out.println("Latency: from the record's scheduled creation (the source's rate limiter emits each"
                    + " symbol's bars at rate/symbols per second, from the reader's start) to the moment a poller (every 5 ms) sees its row committed, over "
                    + options.latencySamples
                    + " symbols' rows, those scheduled in the first 2 s (at most a fifth of the run) excluded. Checkpoint interval "
                    + options.checkpointInterval.toMillis() + " ms: exactly-once rows become visible only when the"
                    + " checkpoint that covers them completes.");
        }
        if (!profiles.isEmpty()) {
            out.println();
            out.println("Client CPU profiles (Java Flight Recorder):");
            profiles.forEach(out::println);
        }
        if (!notes.isEmpty()) {
            out.println();
            notes.forEach(n -> out.println("Note: " + n));
        }
    }

    /**
     * The Kafka rows compared: this job against Kafka Connect, and against its own synthetic exactly-once rate at
     * the same parallelism; with the broker's CPU and Connect's start-up.
     */
    private void kafkaSummary() {
        Optional<Scenario> connect = scenarios.stream()
                .filter(s -> s.id.equals("connect") && !Double.isNaN(s.rate()))
                .findFirst();
        for (Scenario k : scenarios) {
            if (!k.id.equals("kafka") || Double.isNaN(k.rate())) {
                continue;
            }
            StringBuilder line = new StringBuilder(
                    String.format(Locale.ROOT, "%s p=%d: %,.0f rows/s", k.label, k.parallelism, k.rate()));
            connect.ifPresent(c -> line.append(String.format(
                    Locale.ROOT, " = %.2fx Kafka Connect (%,.0f rows/s)", k.rate() / c.rate(), c.rate())));
            scenarios.stream()
                    .filter(s -> s.id.equals("eo")
                            && s.parallelism == k.parallelism
                            && java.util.Objects.equals(s.variant, k.variant)
                            && !Double.isNaN(s.rate()))
                    .findFirst()
                    .ifPresent(eo -> line.append(String.format(
                            Locale.ROOT,
                            " = %.2fx this job's synthetic exactly-once at p=%d",
                            k.rate() / eo.rate(),
                            k.parallelism)));
            line.append(String.format(Locale.ROOT, "; broker CPU %.1f s", d(k.best(), "brokerCpuSeconds")));
            out.println(line);
        }
        connect.ifPresent(c -> out.printf(
                Locale.ROOT,
                "%s (%d tasks): %.1f s from the worker's start to the last row"
                        + " visible, of which %.1f s to the first row (JVM, worker and connector start-up); broker CPU"
                        + " %.1f s%n",
                c.label,
                c.parallelism,
                d(c.best(), "seconds"),
                d(c.best(), "startupSeconds"),
                d(c.best(), "brokerCpuSeconds")));
    }

    /** The row's cells, without the median column when there is one run per scenario. */
    private static String[] cells(boolean repeated, String... all) {
        if (repeated) {
            return all;
        }
        List<String> cells = new ArrayList<>(List.of(all));
        cells.remove(5);
        return cells.toArray(String[]::new);
    }

    /** CPU seconds other processes used on the machine while the scenario ran: the noise it suffered. */
    private static String other(Map<String, String> m) {
        double other = d(m, "machineBusySeconds")
                - d(m, "clientCpuSeconds")
                - d(m, "serverCpuSeconds")
                - (m.containsKey("brokerCpuSeconds") ? d(m, "brokerCpuSeconds") : 0);
        return Double.isNaN(other) ? "-" : String.format(Locale.ROOT, "%.1f", Math.max(0, other));
    }

    private static String spread(Scenario s) {
        List<Double> seconds = s.runs.stream()
                .filter(r -> r.containsKey("seconds"))
                .map(r -> d(r, "seconds"))
                .sorted()
                .toList();
        return seconds.size() < 2
                ? ""
                : String.format(Locale.ROOT, " (%.2f-%.2f)", seconds.get(0), seconds.get(seconds.size() - 1));
    }

    private static double d(Map<String, String> m, String key) {
        return m.containsKey(key) ? Double.parseDouble(m.get(key)) : Double.NaN;
    }

    private static String fmtRate(double rate) {
        return Double.isNaN(rate) ? "-" : String.format(Locale.ROOT, "%,.0f", rate);
    }

    private static String fmt1(String v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.1f", Double.parseDouble(v));
    }

    private static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) ? "-" : String.format(Locale.ROOT, "%.2fx", a / b);
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name"))
                    .findFirst()
                    .map(l -> l.replaceFirst(".*:\\s*", ""))
                    .orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static String memory() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/meminfo"))) {
            return lines.filter(l -> l.startsWith("MemTotal"))
                    .findFirst()
                    .map(l -> String.format(
                            Locale.ROOT, "%.0f GiB RAM", Long.parseLong(l.replaceAll("\\D", "")) / 1048576.0))
                    .orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.delete(p);
            }
        }
    }
}
