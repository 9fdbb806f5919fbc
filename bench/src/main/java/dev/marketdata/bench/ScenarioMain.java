package dev.marketdata.bench;

import dev.marketdata.job.MarketDataJob;
import dev.marketdata.job.MarketDataPipeline;
import dev.marketdata.job.MarketDataPipeline.DeadLetters;
import dev.marketdata.job.MarketDataPipeline.Flow;
import dev.marketdata.job.cli.CommandLine;
import dev.marketdata.job.cli.JobSettings;
import dev.marketdata.job.cli.MarketDataOptions;
import dev.marketdata.job.core.SourceKind;
import dev.marketdata.job.dataset.Dataset;
import dev.marketdata.job.dlq.DeadLetterFiles;
import dev.marketdata.job.kafka.KafkaInput;
import dev.marketdata.job.kafka.KafkaSettings;
import dev.marketdata.job.sink.table.BarTable;
import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.synthetic.SyntheticSource;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * One Flink scenario in its own JVM (so no scenario inherits another's JIT state, heap or threads): the job, or
 * the same topology with the stock JdbcSink or with no sink at all ({@code null}: what the pipeline
 * costs without a database), on an embedded cluster; prints one {@code RESULT} line.
 *
 * <pre>ScenarioMain job|stock|null|job-latency [--warmup-rows N] [--kafka-warmup-topic T]
 *     [--latency-samples N --poll-ms MS --warmup-ms MS] [--flink:KEY VALUE ...] -- JOB OPTIONS...</pre>
 *
 * With {@code --source kafka} among the job options, the job reads the bench's topic, and warms up on
 * {@code --kafka-warmup-topic}.
 *
 * JOB OPTIONS are the job's own command-line options ({@code --symbols}, {@code --jdbc-url}, ...).
 */
public final class ScenarioMain {

    public static final String RESULT = "RESULT ";
    /** Where warm-up runs write: the same columns and key as {@code bars}. */
    public static final String WARMUP_TABLE = "bars_warmup";

    private ScenarioMain() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> result = run(args);
        StringBuilder line = new StringBuilder(RESULT);
        result.forEach((k, v) -> line.append(k).append('=').append(v).append(' '));
        System.out.println(line.toString().strip());
        System.exit(0);
    }

    static Map<String, String> run(String[] args) throws Exception {
        int dashes = Arrays.asList(args).indexOf("--");
        if (args.length < 2 || dashes < 1) {
            throw new IllegalArgumentException(
                    "usage: ScenarioMain job|stock|job-latency [bench options] -- JOB OPTIONS");
        }
        String kind = args[0];
        Map<String, String> bench = new LinkedHashMap<>();
        for (int i = 1; i + 1 < dashes; i += 2) {
            bench.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String[] jobArgs = Arrays.copyOfRange(args, dashes + 1, args.length);
        JobSettings settings = JobSettings.from(CommandLine.parse(jobArgs, MarketDataOptions.ALL), System.getenv());
        int parallelism = settings.parallelism() == null ? 1 : settings.parallelism();

        Configuration conf = settings.flinkConfiguration();
        conf.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, parallelism);
        // Variants of the Flink configuration the bench compares side by side (e.g. pipeline.object-reuse).
        bench.forEach((key, value) -> {
            if (key.startsWith("flink:")) {
                conf.setString(key.substring("flink:".length()), value);
            }
        });
        long warmupRows = Long.parseLong(bench.getOrDefault("warmup-rows", "0"));
        if (warmupRows > 0 && settings.source() == SourceKind.KAFKA) {
            warmUpKafka(conf, settings, bench.get("kafka-warmup-topic"));
        } else if (warmupRows > 0) {
            warmUp(kind, conf, jobArgs, warmupRows);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);

        LatencyProbe probe = null;
        switch (kind) {
            case "job" -> MarketDataJob.wire(env, settings);
            case "stock" ->
                wireBars(
                        env,
                        settings,
                        SyntheticSource.bars(settings.synthetic()),
                        StockJdbcSink.build(
                                PgUrl.parse(settings.jdbc().url()),
                                settings.jdbc().password() == null
                                        ? null
                                        : settings.jdbc().password().reveal(),
                                settings.sink().maxBatchDelay().toMillis(),
                                "bars"));
            case "null" -> wireBars(env, settings, SyntheticSource.bars(settings.synthetic()), new DiscardingSink<>());
            case "job-latency" -> {
                wireBars(
                        env,
                        settings,
                        new ClockedBarSource(SyntheticSource.bars(settings.synthetic())),
                        MarketDataJob.postgresSink(settings, new BarTable()));
                Connection probeConnection = settings.jdbc().connect();
                probeConnection.setAutoCommit(true);
                probe = new LatencyProbe(
                        probeConnection,
                        settings.synthetic(),
                        Integer.parseInt(bench.getOrDefault("latency-samples", "50")),
                        Duration.ofMillis(Long.parseLong(bench.getOrDefault("poll-ms", "5"))),
                        Duration.ofMillis(Long.parseLong(bench.getOrDefault("warmup-ms", "2000"))));
            }
            default -> throw new IllegalArgumentException("unknown scenario kind " + kind);
        }

        Map<String, String> result = new LinkedHashMap<>();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ServerCpu server = new ServerCpu(Long.parseLong(bench.getOrDefault("postmaster-pid", "-1")));
        long brokerPid = Long.parseLong(bench.getOrDefault("broker-pid", "-1"));
        try (HeapMeter heap = new HeapMeter()) {
            double serverBefore = server.seconds();
            double brokerBefore = ServerCpu.processSeconds(brokerPid);
            double[] housekeepingBefore = JvmThreadsCpu.now();
            long cpuBefore = os.getProcessCpuTime();
            double machineBefore = MachineCpu.busySeconds();
            long wallStart = System.nanoTime();
            long epochStart = System.currentTimeMillis();
            JobExecutionResult job = env.execute(settings.jobName());
            long wall = System.nanoTime() - wallStart;
            result.put("executeStartMs", Long.toString(epochStart));
            result.put("executeEndMs", Long.toString(System.currentTimeMillis()));
            long cpu = os.getProcessCpuTime() - cpuBefore;
            Thread.sleep(300); // lets the job's database sessions end, so the postmaster has counted their CPU
            double machine = MachineCpu.busySeconds() - machineBefore;
            double serverSeconds = server.seconds() - serverBefore;
            if (brokerPid > 0) {
                result.put("brokerCpuSeconds", fmt(ServerCpu.processSeconds(brokerPid) - brokerBefore));
            }
            if (!Double.isNaN(serverSeconds)) {
                result.put("serverCpuSeconds", fmt(serverSeconds));
            }
            result.put("seconds", fmt(job.getNetRuntime() / 1000.0));
            result.put("wallSeconds", fmt(wall / 1e9));
            result.put("clientCpuSeconds", fmt(cpu / 1e9));
            double[] housekeeping = JvmThreadsCpu.now();
            result.put("jitSeconds", fmt(housekeeping[0] - housekeepingBefore[0]));
            result.put("gcSeconds", fmt(housekeeping[1] - housekeepingBefore[1]));
            result.put("machineBusySeconds", fmt(machine));
            result.put("peakHeapMiB", fmt(heap.peakUsedBytes() / 1048576.0));
            result.put("peakLiveHeapMiB", fmt(heap.peakLiveBytes() / 1048576.0));
            result.put("maxHeapMiB", fmt(Runtime.getRuntime().maxMemory() / 1048576.0));
        }
        if (probe != null) {
            try (LatencyProbe p = probe) {
                LatencyProbe.Result latency = p.finish(
                        Duration.ofSeconds(30),
                        bench.containsKey("latency-dump") ? java.nio.file.Path.of(bench.get("latency-dump")) : null);
                result.put("latencySamples", Integer.toString(latency.samples()));
                result.put("latencyPolls", Long.toString(latency.polls()));
                result.put("p50Ms", fmt(latency.p50Ms()));
                result.put("p99Ms", fmt(latency.p99Ms()));
                result.put("maxMs", fmt(latency.maxMs()));
            }
        }
        return result;
    }

    /**
     * Runs the same topology over the first {@code rows} bars into a scratch table ({@code bars_warmup}), so the
     * measured run starts with the code compiled, as it is in a job that has been running for a while.
     */
    private static void warmUp(String kind, Configuration conf, String[] jobArgs, long rows) throws Exception {
        List<String> args = new ArrayList<>();
        for (int i = 0; i < jobArgs.length; i++) {
            String name = jobArgs[i].contains("=") ? jobArgs[i].substring(0, jobArgs[i].indexOf('=')) : jobArgs[i];
            boolean pair = !jobArgs[i].contains("=");
            if (List.of("--bars-per-symbol", "--job-name", "--dlq-dir").contains(name)) {
                i += pair ? 1 : 0;
                continue;
            }
            args.add(jobArgs[i]);
        }
        JobSettings measured = JobSettings.from(CommandLine.parse(jobArgs, MarketDataOptions.ALL), System.getenv());
        args.addAll(List.of(
                "--bars-per-symbol",
                Long.toString(Math.max(1, rows / measured.synthetic().symbols())),
                "--job-name",
                measured.jobName() + "-warmup",
                "--dlq-dir",
                measured.dlqDir() + "-warmup"));
        JobSettings warm = JobSettings.from(
                CommandLine.parse(args.toArray(String[]::new), MarketDataOptions.ALL), System.getenv());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
        BarTable table = new BarTable(WARMUP_TABLE);
        wireBars(
                env,
                warm,
                SyntheticSource.bars(warm.synthetic()),
                switch (kind) {
                    case "job", "job-latency" -> MarketDataJob.postgresSink(warm, table);
                    case "stock" ->
                        StockJdbcSink.build(
                                PgUrl.parse(warm.jdbc().url()),
                                warm.jdbc().password() == null
                                        ? null
                                        : warm.jdbc().password().reveal(),
                                warm.sink().maxBatchDelay().toMillis(),
                                WARMUP_TABLE);
                    default -> new DiscardingSink<Bar>();
                });
        env.execute(warm.jobName());
    }

    /**
     * The Kafka scenario's warm-up: the same job over a topic that holds the first warm-up rows (filled by the
     * bench), in a consumer group of its own, into the scratch table.
     */
    private static void warmUpKafka(Configuration conf, JobSettings settings, String topic) throws Exception {
        if (topic == null) {
            throw new IllegalArgumentException("a Kafka scenario's warm-up needs --kafka-warmup-topic");
        }
        KafkaSettings measured = settings.kafka();
        KafkaSettings warm = new KafkaSettings(
                measured.bootstrapServers(),
                measured.groupId() + "-warmup",
                KafkaSettings.StartingOffsets.EARLIEST,
                true,
                Map.of(Dataset.BARS.name(), topic),
                measured.clientProperties());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
        MarketDataPipeline.wire(
                env,
                List.of(Flow.ofKafka(
                        Dataset.BARS,
                        KafkaInput.source(warm, Dataset.BARS.name()),
                        MarketDataJob.postgresSink(settings, new BarTable(WARMUP_TABLE)))),
                DeadLetters.toFiles(DeadLetterFiles.sink(settings.dlqDir() + "-warmup")));
        env.execute(settings.jobName() + "-warmup");
    }

    /**
     * The job's topology for bars (what {@link MarketDataJob#wire} builds for {@code --datasets bars}), with the
     * given source and sink; dead letters to files, as the job's default.
     */
    static void wireBars(
            StreamExecutionEnvironment env,
            JobSettings settings,
            org.apache.flink.api.connector.source.Source<Bar, ?, ?> source,
            Sink<Bar> sink) {
        MarketDataPipeline.wire(
                env,
                List.of(Flow.ofRecords(Dataset.BARS, source, sink)),
                DeadLetters.toFiles(DeadLetterFiles.sink(settings.dlqDir())));
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
