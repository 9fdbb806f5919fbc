package dev.marketdata.job;

import dev.marketdata.job.dataset.Dataset;
import dev.marketdata.job.dlq.CountDeadLetters;
import dev.marketdata.job.dlq.DeadLetter;
import dev.marketdata.job.kafka.KafkaMessage;
import dev.marketdata.job.parse.ParseProviderItems;
import dev.marketdata.job.parse.ParseRecords;
import dev.marketdata.job.serialization.RecordTypes;
import dev.marketdata.job.validate.ValidateRecords;
import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.provider.ProviderItem;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The job's topology, apart from where records come from and go to, so tests wire the same graph with bounded
 * sources and sinks of their own: one pipeline per data set (source, parse when the source yields raw Kafka
 * values, validate, key by the routing key, write), and every rejected record of every data set into the one
 * dead-letter sink.
 */
public final class MarketDataPipeline {

    /*
     * Operator uids match state in savepoints and checkpoints to operators. Never change one after a release:
     * a job with a changed uid cannot resume from the old savepoint. Every data set's uids follow the pattern of
     * the bars uids of the first release (bars-source, validate-bars, bars-postgres-sink), from its never-renamed
     * name (sourceUid and the others below); MarketDataPipelineUidsTest pins them.
     */
    public static final String COUNT_DEAD_LETTERS_UID = "count-dead-letters";
    public static final String DEAD_LETTER_SINK_UID = "dead-letter-sink";
    /** The Kafka dead-letter sink keeps other state than the file sink, hence a uid of its own. */
    public static final String DEAD_LETTER_KAFKA_SINK_UID = "dead-letter-kafka-sink";
    /** The dead_letters table sink: other state again, hence a uid of its own. */
    public static final String DEAD_LETTER_TABLE_SINK_UID = "dead-letter-table-sink";

    private MarketDataPipeline() {}

    /** The synthetic (or any record-yielding) source of a data set. */
    public static String sourceUid(Dataset<?> dataset) {
        return dataset.name() + "-source";
    }

    /** The Kafka source of a data set: other state than a record source, hence a uid of its own. */
    public static String kafkaSourceUid(Dataset<?> dataset) {
        return dataset.name() + "-kafka-source";
    }

    /** The provider (REST backfill) source of a data set: other state again, hence a uid of its own. */
    public static String providerSourceUid(Dataset<?> dataset) {
        return dataset.name() + "-provider-source";
    }

    /** The live stream source of a provider ({@code --live}): other state than the backfill's, hence its own uid. */
    public static String liveSourceUid(Dataset<?> dataset) {
        return dataset.name() + "-live-source";
    }

    /** The parse stage after a provider source (stateless, but distinct from the Kafka one). */
    public static String providerParseUid(Dataset<?> dataset) {
        return "parse-" + dataset.name() + "-provider";
    }

    public static String parseUid(Dataset<?> dataset) {
        return "parse-" + dataset.name();
    }

    public static String validateUid(Dataset<?> dataset) {
        return "validate-" + dataset.name();
    }

    public static String sinkUid(Dataset<?> dataset) {
        return dataset.name() + "-postgres-sink";
    }

    /**
     * One data set's way through the job: from its input, one of three kinds, into {@code sink}. Each kind reads
     * its own source (with its own uid) and, where the input is not records yet, parses it, its rejects going to
     * the dead letters.
     */
    public sealed interface Flow<T> permits Flow.OfRecords, Flow.OfKafka, Flow.OfProvider, Flow.OfLiveProvider {

        Dataset<T> dataset();

        Sink<T> sink();

        /** The flow's valid-or-not records, after parsing; adds the parse stage's rejects to {@code rejected}. */
        DataStream<T> records(StreamExecutionEnvironment env, List<DataStream<DeadLetter>> rejected);

        static <T> Flow<T> ofRecords(Dataset<T> dataset, Source<T, ?, ?> records, Sink<T> sink) {
            return new OfRecords<>(dataset, records, sink);
        }

        static <T> Flow<T> ofKafka(Dataset<T> dataset, Source<KafkaMessage, ?, ?> messages, Sink<T> sink) {
            return new OfKafka<>(dataset, messages, sink);
        }

        /** A provider's historical records of the data set (see {@code ProviderSource}). */
        /** A provider's live bars (see {@code LiveSource}). */
        static Flow<Bar> ofLiveProvider(Dataset<Bar> dataset, Source<ProviderItem<Bar>, ?, ?> stream, Sink<Bar> sink) {
            return new OfLiveProvider(dataset, stream, sink);
        }

        static <T> Flow<T> ofProvider(Dataset<T> dataset, Source<ProviderItem<T>, ?, ?> answers, Sink<T> sink) {
            return new OfProvider<>(dataset, answers, sink);
        }

        /** Records from a source that yields them (the synthetic one, or a test's). */
        record OfRecords<T>(Dataset<T> dataset, Source<T, ?, ?> source, Sink<T> sink) implements Flow<T> {

            @Override
            public DataStream<T> records(StreamExecutionEnvironment env, List<DataStream<DeadLetter>> rejected) {
                return env.fromSource(
                                source,
                                WatermarkStrategy.noWatermarks(),
                                capitalized(dataset) + " source",
                                typeInfo(env, dataset))
                        .uid(sourceUid(dataset));
            }
        }

        /** Raw Kafka values, parsed by the data set's JSON. */
        record OfKafka<T>(Dataset<T> dataset, Source<KafkaMessage, ?, ?> source, Sink<T> sink) implements Flow<T> {

            @Override
            public DataStream<T> records(StreamExecutionEnvironment env, List<DataStream<DeadLetter>> rejected) {
                SingleOutputStreamOperator<T> parsed = env.fromSource(
                                source,
                                WatermarkStrategy.noWatermarks(),
                                capitalized(dataset) + " from Kafka",
                                RecordTypes.of(KafkaMessage.class, env.getConfiguration()))
                        .uid(kafkaSourceUid(dataset))
                        .process(new ParseRecords<>(dataset.name(), dataset.json()), typeInfo(env, dataset))
                        .uid(parseUid(dataset))
                        .name("Parse " + dataset.title());
                rejected.add(parsed.getSideOutput(ParseRecords.UNPARSEABLE));
                return parsed;
            }
        }

        /**
         * A provider's live stream of bars ({@code --live}): the same items as the backfill's, from a source with
         * other state (its own uid), parsed by the same (stateless) stage.
         */
        record OfLiveProvider(Dataset<Bar> dataset, Source<ProviderItem<Bar>, ?, ?> source, Sink<Bar> sink)
                implements Flow<Bar> {

            @Override
            public DataStream<Bar> records(StreamExecutionEnvironment env, List<DataStream<DeadLetter>> rejected) {
                SingleOutputStreamOperator<Bar> parsed = env.fromSource(
                                source,
                                WatermarkStrategy.noWatermarks(),
                                capitalized(dataset) + " from provider stream")
                        .uid(liveSourceUid(dataset))
                        .process(new ParseProviderItems<>(dataset.name(), dataset.json()), dataset.typeInfo())
                        .uid(providerParseUid(dataset))
                        .name("Parse " + dataset.title() + " from provider");
                rejected.add(parsed.getSideOutput(ParseRecords.UNPARSEABLE));
                return parsed;
            }
        }

        /** A provider's answers, parsed into records and dead letters (the reading itself is the source's). */
        record OfProvider<T>(Dataset<T> dataset, Source<ProviderItem<T>, ?, ?> source, Sink<T> sink)
                implements Flow<T> {

            @Override
            public DataStream<T> records(StreamExecutionEnvironment env, List<DataStream<DeadLetter>> rejected) {
                SingleOutputStreamOperator<T> parsed = env.fromSource(
                                source, WatermarkStrategy.noWatermarks(), capitalized(dataset) + " from provider")
                        .uid(providerSourceUid(dataset))
                        .process(new ParseProviderItems<>(dataset.name(), dataset.json()), typeInfo(env, dataset))
                        .uid(providerParseUid(dataset))
                        .name("Parse " + dataset.title() + " from provider");
                rejected.add(parsed.getSideOutput(ParseRecords.UNPARSEABLE));
                return parsed;
            }
        }
    }

    private static String capitalized(Dataset<?> dataset) {
        String title = dataset.title();
        return Character.toUpperCase(title.charAt(0)) + title.substring(1);
    }

    /**
     * Where the dead letters of parsing and validation go. Each kind of sink has its own uid, as their states
     * differ: a job that switches kinds starts that sink afresh.
     *
     * @param keyed whether to key letters by {@link DeadLetter#key()} first, so one writer owns each letter
     */
    public record DeadLetters(Sink<DeadLetter> sink, String uid, String name, boolean keyed) {

        /** NDJSON files (a {@code FileSink}). */
        public static DeadLetters toFiles(Sink<DeadLetter> sink) {
            return new DeadLetters(sink, DEAD_LETTER_SINK_UID, "Dead-letter queue", false);
        }

        /** A Kafka topic. */
        public static DeadLetters toKafka(Sink<DeadLetter> sink) {
            return new DeadLetters(sink, DEAD_LETTER_KAFKA_SINK_UID, "Dead-letter topic", false);
        }

        /** The {@code dead_letters} table. */
        public static DeadLetters toTable(Sink<DeadLetter> sink) {
            return new DeadLetters(sink, DEAD_LETTER_TABLE_SINK_UID, "Dead-letter table", true);
        }
    }

    public static void wire(StreamExecutionEnvironment env, List<Flow<?>> flows, DeadLetters deadLetters) {
        List<DataStream<DeadLetter>> rejected = new ArrayList<>();
        for (Flow<?> flow : flows) {
            rejected.addAll(wire(env, flow));
        }
        DataStream<DeadLetter> all = rejected.get(0);
        if (rejected.size() > 1) {
            all = all.union(rejected.subList(1, rejected.size()).toArray(DataStream[]::new));
        }
        DataStream<DeadLetter> counted =
                all.map(new CountDeadLetters()).uid(COUNT_DEAD_LETTERS_UID).name("Count dead letters");
        if (deadLetters.keyed()) {
            counted = counted.keyBy(letter -> letter.key().toString(), Types.STRING);
        }
        counted.sinkTo(deadLetters.sink()).uid(deadLetters.uid()).name(deadLetters.name());
    }

    /**
     * How the data set's records move between operators: its hand-written serializer, or Flink's POJO one where
     * the environment's configuration asks for it ({@link RecordTypes#POJO_SERIALIZERS}).
     */
    static <T> TypeInformation<T> typeInfo(StreamExecutionEnvironment env, Dataset<T> dataset) {
        return RecordTypes.of(dataset.type(), env.getConfiguration());
    }

    /** Wires one data set; returns its streams of rejected records. */
    private static <T> List<DataStream<DeadLetter>> wire(StreamExecutionEnvironment env, Flow<T> flow) {
        Dataset<T> dataset = flow.dataset();
        String title = dataset.title();
        List<DataStream<DeadLetter>> rejected = new ArrayList<>();
        DataStream<T> records = flow.records(env, rejected);

        SingleOutputStreamOperator<T> valid = records.process(
                        new ValidateRecords<>(dataset.name(), dataset.validator(), dataset.json()),
                        typeInfo(env, dataset))
                .uid(validateUid(dataset))
                .name("Validate " + title);
        rejected.add(valid.getSideOutput(ValidateRecords.REJECTED));

        // Keyed by the routing key (a prefix of the natural key) so one writer owns each key: per-key order holds,
        // and no two writers ever contend for the same rows.
        valid.keyBy(dataset.routingKey(), Types.STRING)
                .sinkTo(flow.sink())
                .uid(sinkUid(dataset))
                .name("Write " + title + " to PostgreSQL");
        return rejected;
    }
}
