package dev.marketdata.sources.provider.live;

import org.apache.flink.runtime.throwable.ThrowableAnnotation;
import org.apache.flink.runtime.throwable.ThrowableType;

/**
 * The live buffer was full under {@code --overflow fail}: the job fails at once, without restarts (a restart would
 * only fill it again), with one line naming the buffer size.
 */
@ThrowableAnnotation(ThrowableType.NonRecoverableError)
public final class LiveOverflowException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    LiveOverflowException(int capacity) {
        super(
                "the live buffer of " + capacity + " records (--live-buffer) is full and --overflow is fail: the "
                        + "stream delivered faster than the job wrote",
                null,
                false,
                false);
    }
}
