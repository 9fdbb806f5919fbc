package dev.marketdata.sources.provider;

import org.apache.flink.runtime.throwable.ThrowableAnnotation;
import org.apache.flink.runtime.throwable.ThrowableType;

/**
 * A failure no retry or restart can fix (401/403: a bad key, or data not in the plan; 400: a request the provider
 * refuses): the job fails at once, without restarts (Flink's restart strategies skip
 * {@link ThrowableType#NonRecoverableError}s). Its message is one line naming the provider, the ticker and what the
 * provider said, never the key.
 */
@ThrowableAnnotation(ThrowableType.NonRecoverableError)
public final class ProviderFatalException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ProviderFatalException(String message) {
        super(message, null, false, false);
    }
}
