package dev.marketdata.sources.provider.ibkr;

import dev.marketdata.sources.provider.ProviderError;

/**
 * Thrown by {@link IbkrBarsProtocol#readBars} when a 200 answer is really an error: an empty body (the brokerage
 * session is gone, [S]) or {@code {"error":"..."}} (e.g. the transient "Chart data is not available"). Carries the
 * classification the framework would have got from {@code readError} for the same answer with an error status.
 */
public final class IbkrAnswerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ProviderError error;

    IbkrAnswerException(ProviderError error) {
        super("IBKR answered 200 with an error: " + error.message(), null, false, false);
        this.error = error;
    }

    public ProviderError error() {
        return error;
    }
}
