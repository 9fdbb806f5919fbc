package dev.marketdata.job.dlq;

import static org.apache.flink.util.Preconditions.checkNotNull;

import java.io.Serializable;

/**
 * Where a sink sends the rows its table refuses.
 *
 * @param destination files or the {@code dead_letters} table
 * @param dir the dead-letter directory as a file-system URI (see {@link DeadLetterFiles#toUri}); used by
 *     {@link DeadLetterDestination#FILES}
 */
public record DeadLetterSettings(DeadLetterDestination destination, String dir) implements Serializable {

    public DeadLetterSettings {
        checkNotNull(destination, "dlq-destination must be set");
        checkNotNull(dir, "dlq-dir must be set");
    }

    public static DeadLetterSettings files(String dir) {
        return new DeadLetterSettings(DeadLetterDestination.FILES, DeadLetterFiles.toUri(dir));
    }
}
