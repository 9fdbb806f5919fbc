package dev.marketdata.job.sink.config;

import java.io.Serializable;

/** A password or key that never shows itself in {@code toString()}, and so never in a log line. */
public final class Secret implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String value;

    public Secret(String value) {
        this.value = value;
    }

    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "******";
    }
}
