package dev.marketdata.job.dlq;

import static org.apache.flink.util.Preconditions.checkNotNull;

import java.io.Serializable;

/**
 * Where dead letters go, in one place: the side output's (parse and validate stages) and the rows the sinks'
 * tables refuse (write stage). The job chooses a {@code DeadLetterRoute} ({@code --dlq-destination},
 * {@code --dlq-dir}, {@code --dlq-kafka-topic}); each sink gets its {@link #refusedRows()}.
 *
 * <p>The two differ only with a Kafka topic: a sink writer keeps its dead letters with its PostgreSQL
 * transaction, which a Kafka transaction cannot join, so with {@link Kafka} the refused rows still go to files or
 * the table.
 */
public sealed interface DeadLetterRoute extends Serializable
        permits DeadLetterRoute.Files, DeadLetterRoute.Table, DeadLetterRoute.Kafka {

    /** Where a sink writer puts the rows its table refuses. */
    sealed interface ForRefusedRows extends Serializable permits Files, Table, FailTask {}

    /** Where the rows the sinks' tables refuse go. */
    ForRefusedRows refusedRows();

    /** NDJSON files under a directory, one folder per data set. */
    record Files(String dirUri) implements DeadLetterRoute, ForRefusedRows {

        public Files {
            checkNotNull(dirUri, "dlq-dir must be set");
        }

        @Override
        public ForRefusedRows refusedRows() {
            return this;
        }
    }

    /** The {@code dead_letters} table; a sink's refused rows go in with their batch. */
    record Table() implements DeadLetterRoute, ForRefusedRows {

        @Override
        public ForRefusedRows refusedRows() {
            return this;
        }
    }

    /**
     * A Kafka topic for the side output (transactional under exactly-once delivery).
     *
     * @param refusedRows where the rows the tables refuse go instead: files or the table
     */
    record Kafka(String topic, ForRefusedRows refusedRows) implements DeadLetterRoute {

        public Kafka {
            checkNotNull(topic, "dlq-kafka-topic must be set");
            checkNotNull(refusedRows, "where refused rows go must be set");
        }
    }

    /** Nowhere: a refused row fails the task (the sink of the {@code dead_letters} table itself). */
    record FailTask() implements ForRefusedRows {}

    /** Files under {@code dir}, a local path or a file-system URI ({@link DeadLetterFiles#toUri}). */
    static Files files(String dir) {
        return new Files(DeadLetterFiles.toUri(dir));
    }
}
