package dev.marketdata.job;

import dev.marketdata.job.dlq.CountDeadLetters;
import dev.marketdata.job.dlq.DeadLetter;
import dev.marketdata.job.json.BarJson;
import dev.marketdata.job.validate.BarValidator;
import dev.marketdata.job.validate.ValidateRecords;
import dev.marketdata.sources.model.Bar;
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
 * sources and sinks of their own.
 */
public final class MarketDataPipeline {

    /*
     * Operator uids match state in savepoints and checkpoints to operators. Never change one after a release:
     * a job with a changed uid cannot resume from the old savepoint.
     */
    public static final String BARS_SOURCE_UID = "bars-source";
    public static final String VALIDATE_BARS_UID = "validate-bars";
    public static final String BARS_SINK_UID = "bars-postgres-sink";
    public static final String COUNT_DEAD_LETTERS_UID = "count-dead-letters";
    public static final String DEAD_LETTER_SINK_UID = "dead-letter-sink";
    public static final String DEAD_LETTER_TABLE_SINK_UID = "dead-letter-table-sink";

    public static final String BARS = dev.marketdata.job.sink.BarTable.DATASET;

    private MarketDataPipeline() {}

    /**
     * Where the dead letters of validation go. Each kind of sink has its own uid, as their states differ: a job
     * that switches kinds starts that sink afresh.
     *
     * @param keyed whether to key letters by {@link DeadLetter#key()} first, so one writer owns each letter
     */
    public record DeadLetterQueue(Sink<DeadLetter> sink, String uid, String name, boolean keyed) {

        /** NDJSON files (a {@code FileSink}). */
        public static DeadLetterQueue files(Sink<DeadLetter> sink) {
            return new DeadLetterQueue(sink, DEAD_LETTER_SINK_UID, "Dead-letter queue", false);
        }

        /** The {@code dead_letters} table. */
        public static DeadLetterQueue table(Sink<DeadLetter> sink) {
            return new DeadLetterQueue(sink, DEAD_LETTER_TABLE_SINK_UID, "Dead-letter table", true);
        }
    }

    public static void wire(
            StreamExecutionEnvironment env,
            Source<Bar, ?, ?> barSource,
            Sink<Bar> barSink,
            DeadLetterQueue deadLetterQueue) {
        DataStream<Bar> bars = env.fromSource(barSource, WatermarkStrategy.noWatermarks(), "Bars source")
                .uid(BARS_SOURCE_UID);

        SingleOutputStreamOperator<Bar> valid = bars.process(
                        new ValidateRecords<>(BARS, new BarValidator(), new BarJson()), TypeInformation.of(Bar.class))
                .uid(VALIDATE_BARS_UID)
                .name("Validate bars");

        // Keyed by symbol so one writer owns each symbol: per-symbol order holds, and no two writers ever
        // contend for the same rows.
        valid.keyBy(Bar::symbol, Types.STRING)
                .sinkTo(barSink)
                .uid(BARS_SINK_UID)
                .name("Write bars to PostgreSQL");

        DataStream<DeadLetter> deadLetters = valid.getSideOutput(ValidateRecords.REJECTED)
                .map(new CountDeadLetters())
                .uid(COUNT_DEAD_LETTERS_UID)
                .name("Count dead letters");
        if (deadLetterQueue.keyed()) {
            deadLetters = deadLetters.keyBy(letter -> letter.key().toString(), Types.STRING);
        }
        deadLetters.sinkTo(deadLetterQueue.sink())
                .uid(deadLetterQueue.uid())
                .name(deadLetterQueue.name());
    }
}
