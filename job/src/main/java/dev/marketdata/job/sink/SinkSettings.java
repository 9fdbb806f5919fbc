package dev.marketdata.job.sink;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

import java.io.Serializable;
import java.time.Duration;

/**
 * How the PostgreSQL sink batches rows.
 *
 * @param maxBatchRows a batch is written as soon as it holds this many distinct rows
 * @param maxBatchDelay ... or when its first row has waited this long
 */
public record SinkSettings(int maxBatchRows, Duration maxBatchDelay) implements Serializable {

    public SinkSettings {
        checkArgument(maxBatchRows > 0, "sink.batch.max-rows must be positive, got %s", maxBatchRows);
        checkNotNull(maxBatchDelay, "sink.batch.max-delay must be set");
        checkArgument(!maxBatchDelay.isNegative() && !maxBatchDelay.isZero(),
                "sink.batch.max-delay must be positive, got %s", maxBatchDelay);
    }
}
