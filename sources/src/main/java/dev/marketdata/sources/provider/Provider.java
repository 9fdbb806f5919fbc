package dev.marketdata.sources.provider;

/** The market-data providers with a historical (REST) source. {@link #id()} is the {@code provider} of their bars. */
public enum Provider {
    POLYGON("polygon"),
    ALPACA("alpaca"),
    IBKR("ibkr");

    private final String id;

    Provider(String id) {
        this.id = id;
    }

    /** Lower-case name used in options ({@code --source}), metrics and {@code Bar.provider}. */
    public String id() {
        return id;
    }
}
