package dev.marketdata.job.provider;

import static org.apache.flink.configuration.ConfigOptions.key;

import dev.marketdata.sources.provider.alpaca.AlpacaLiveProtocol;
import dev.marketdata.sources.provider.ibkr.IbkrLiveProtocol;
import dev.marketdata.sources.provider.live.OverflowPolicy;
import dev.marketdata.sources.provider.polygon.PolygonLiveProtocol;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;

/**
 * The options of the provider sources ({@code --source polygon|alpaca|ibkr}, with {@code --live} their live
 * streams), as typed Flink options whose keys are the command-line flags; {@code MarketDataOptions.ALL} lists them
 * with the job's other options for {@code --help}. Keys are part of the public interface: never rename one.
 */
public final class ProviderOptions {

    private ProviderOptions() {}

    /** Alpaca's stock data feeds. */
    public enum AlpacaFeed {
        IEX,
        SIP
    }

    /** Alpaca's option data feeds. */
    public enum AlpacaOptionsFeed {
        OPRA,
        INDICATIVE
    }

    // ---- providers ----

    public static final ConfigOption<String> TICKERS = key("tickers")
            .stringType()
            .noDefaultValue()
            .withDescription("Provider sources: the tickers to backfill, comma-separated, e.g. AAPL,MSFT,BRK.B "
                    + "(or --tickers-file). Each is looked up once; unknown ones are dead-lettered and the others "
                    + "go on.");

    public static final ConfigOption<String> TICKERS_FILE = key("tickers-file")
            .stringType()
            .noDefaultValue()
            .withDescription("Provider sources: a file of tickers, one a line (blank lines and lines starting with "
                    + "# are skipped), instead of --tickers.");

    public static final ConfigOption<String> FROM = key("from")
            .stringType()
            .noDefaultValue()
            .withDescription("Provider sources: start of the backfill. A date (2024-03-01) means from the start of "
                    + "that day in New York; an RFC 3339 instant (2024-03-01T14:30:00Z) is the first instant "
                    + "wanted.");

    public static final ConfigOption<String> TO = key("to")
            .stringType()
            .noDefaultValue()
            .withDescription("Provider sources: end of the backfill. A date includes that whole New York day; an "
                    + "RFC 3339 instant is the end, excluded: [from, to).");

    public static final ConfigOption<String> TIMEFRAME = key("timeframe")
            .stringType()
            .defaultValue("1m")
            .withDescription("Provider sources: bar length, one of 1m, 5m, 15m, 30m, 1h, 1d. Daily bars are kept "
                    + "as the provider stamps them (00:00 New York).");

    public static final ConfigOption<String> POLYGON_URL = key("polygon-url")
            .stringType()
            .defaultValue("https://api.massive.com")
            .withDescription("Base URL of Polygon's (Massive's) REST API; pagination links are followed on this "
                    + "base too, so a proxy keeps working.");

    public static final ConfigOption<String> ALPACA_URL = key("alpaca-url")
            .stringType()
            .defaultValue("https://data.alpaca.markets")
            .withDescription("Base URL of Alpaca's market data API.");

    public static final ConfigOption<String> ALPACA_TRADING_URL = key("alpaca-trading-url")
            .stringType()
            .defaultValue("https://paper-api.alpaca.markets")
            .withDescription("Base URL of Alpaca's trading API, where the tickers are looked up (GET /v2/assets/"
                    + "{symbol}: the data API has no such lookup). The default is the paper host, as in Alpaca's "
                    + "SDKs; keys of a live account need https://api.alpaca.markets.");

    public static final ConfigOption<String> IBKR_URL = key("ibkr-url")
            .stringType()
            .defaultValue("https://localhost:5000/v1/api")
            .withDescription("Base URL of the Interactive Brokers Client Portal gateway.");

    public static final ConfigOption<Boolean> IBKR_TRUST_SELF_SIGNED = key("ibkr-trust-self-signed")
            .booleanType()
            .defaultValue(false)
            .withDescription("Also trust a self-signed TLS certificate for --ibkr-url, whatever host it names (the "
                    + "Client Portal gateway's own does not name localhost). Only for IBKR; a chain "
                    + "from an unknown authority or an expired certificate is still refused. Use it for a gateway you "
                    + "run yourself.");

    public static final ConfigOption<AlpacaFeed> ALPACA_FEED = key("alpaca-feed")
            .enumType(AlpacaFeed.class)
            .defaultValue(AlpacaFeed.IEX)
            .withDescription("Alpaca's feed, always sent: iex (the live stream's default) or sip. Left out, Alpaca's "
                    + "REST API would serve SIP, and a backfill would differ from the stream it repairs.");

    public static final ConfigOption<AlpacaOptionsFeed> ALPACA_OPTIONS_FEED = key("alpaca-options-feed")
            .enumType(AlpacaOptionsFeed.class)
            .defaultValue(AlpacaOptionsFeed.OPRA)
            .withDescription("Alpaca's option feed for --datasets options, always sent: opra (the exchanges' quotes, "
                    + "needs the OPRA subscription) or indicative (Alpaca's derived quotes, on every plan). Left out, "
                    + "Alpaca would pick by the account's plan and the stored quotes would change meaning with it.");

    public static final ConfigOption<Integer> REQUESTS_PER_MINUTE = key("requests-per-minute")
            .intType()
            .noDefaultValue()
            .withDescription("Provider sources: cap on requests per minute for the whole job (all readers "
                    + "together). Defaults to the provider's documented paid-plan limit: polygon 6000 (100/s), "
                    + "alpaca 10000 (Algo Trader Plus), ibkr 600 (the gateway's 10/s).");

    public static final ConfigOption<Duration> PROVIDER_RETRY_BUDGET = key("provider.retry.budget")
            .durationType()
            .defaultValue(Duration.ofMinutes(10))
            .withDescription("How long one provider request may keep failing with 429, 5xx, timeouts or cut "
                    + "connections (retried with exponential back-off and jitter, or as Retry-After says) before "
                    + "the task fails and Flink restores it from the last checkpoint.");

    public static final ConfigOption<Duration> PROVIDER_RETRY_INITIAL_BACKOFF = key("provider.retry.initial-backoff")
            .durationType()
            .defaultValue(Duration.ofSeconds(1))
            .withDescription("Wait before the first retry of a provider request when the provider says nothing; "
                    + "each further retry waits up to twice as long (half of it random), up to "
                    + "provider.retry.max-backoff.");

    public static final ConfigOption<Duration> PROVIDER_RETRY_MAX_BACKOFF = key("provider.retry.max-backoff")
            .durationType()
            .defaultValue(Duration.ofSeconds(60))
            .withDescription(
                    "Longest wait between two attempts of a provider request when the provider says " + "nothing.");

    public static final ConfigOption<Duration> PROVIDER_CONNECT_TIMEOUT = key("provider.connect-timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(10))
            .withDescription("Connect timeout of every provider request.");

    public static final ConfigOption<Duration> PROVIDER_REQUEST_TIMEOUT = key("provider.request-timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(60))
            .withDescription("The longest a provider's whole answer may take; a request that hangs is then retried "
                    + "like a 5xx.");

    public static final ConfigOption<Integer> PROVIDER_EMPTY_RETRIES = key("provider.empty-retries")
            .intType()
            .defaultValue(3)
            .withDescription("How often an empty answer for a known ticker on a trading day is asked again before "
                    + "it is believed (Polygon has answered results: null for days with data).");

    // ---- live streams ----

    public static final ConfigOption<Boolean> LIVE = key("live")
            .booleanType()
            .defaultValue(false)
            .withDescription("With --source polygon|alpaca|ibkr: stream the provider's live 1-minute bars over one "
                    + "WebSocket for the whole job, repairing every gap (reconnects, restores) through the REST API; "
                    + "runs until stopped (no --to). With --from it first backfills from that time, then streams, "
                    + "with no gap and no repeat at the hand-over. See docs/live-streams.md.");

    public static final ConfigOption<OverflowPolicy> OVERFLOW = key("overflow")
            .enumType(OverflowPolicy.class)
            .defaultValue(OverflowPolicy.BLOCK)
            .withDescription("--live: when the buffer between the socket and the job is full. block: stop reading "
                    + "the socket (TCP pushes back on the provider; nothing lost, the stream lags); drop-oldest: "
                    + "dead-letter the oldest buffered record with reason OVERFLOW (the stream stays current); "
                    + "fail: fail the job with one line.");

    public static final ConfigOption<Integer> LIVE_BUFFER = key("live-buffer")
            .intType()
            .defaultValue(10_000)
            .withDescription("--live: records the buffer between the socket and the job holds.");

    public static final ConfigOption<String> POLYGON_WS_URL = key("polygon-ws-url")
            .stringType()
            .defaultValue(PolygonLiveProtocol.DEFAULT_URL)
            .withDescription("--live: Polygon's (Massive's) stocks stream.");

    public static final ConfigOption<String> ALPACA_WS_URL = key("alpaca-ws-url")
            .stringType()
            .defaultValue(AlpacaLiveProtocol.DEFAULT_URL)
            .withDescription("--live: Alpaca's stock stream; its feed (iex, sip) is the last path segment, and the "
                    + "gap repair asks REST for the same feed.");

    public static final ConfigOption<String> IBKR_WS_URL = key("ibkr-ws-url")
            .stringType()
            .defaultValue(IbkrLiveProtocol.DEFAULT_URL)
            .withDescription("--live: the IBKR Client Portal gateway's WebSocket (with --ibkr-trust-self-signed for "
                    + "its own certificate); at most 5 tickers (its limit of streaming-history subscriptions).");

    public static final ConfigOption<Duration> LIVE_RECONNECT_INITIAL_BACKOFF = key("live.reconnect.initial-backoff")
            .durationType()
            .defaultValue(Duration.ofSeconds(1))
            .withDescription("--live: first wait before reconnecting a lost stream; doubles with each failed "
                    + "attempt, with jitter.");

    public static final ConfigOption<Duration> LIVE_RECONNECT_MAX_BACKOFF = key("live.reconnect.max-backoff")
            .durationType()
            .defaultValue(Duration.ofSeconds(60))
            .withDescription("--live: the longest wait before reconnecting.");

    public static final ConfigOption<Duration> LIVE_CONNECTION_LIMIT_BACKOFF = key("live.connection-limit-backoff")
            .durationType()
            .defaultValue(Duration.ofSeconds(30))
            .withDescription("--live: first wait after the provider refused a connection over the account's limit "
                    + "(Alpaca counts an uncleanly dropped socket for about 90 s); doubles while it repeats.");

    public static final ConfigOption<Duration> LIVE_DATA_TIMEOUT = key("live.data-timeout")
            .durationType()
            .defaultValue(Duration.ofMinutes(5))
            .withDescription("--live: a subscribed socket that delivers no bar for this long during the regular "
                    + "New York session is treated as dead and reconnected (the data watchdog).");

    public static final ConfigOption<Boolean> LIVE_WATCHDOG_OUTSIDE_SESSIONS = key("live.watchdog-outside-sessions")
            .booleanType()
            .defaultValue(false)
            .withDescription("--live: run the data watchdog at any hour, not only during the regular session.");

    public static final ConfigOption<Duration> LIVE_HEARTBEAT = key("live.heartbeat")
            .durationType()
            .defaultValue(Duration.ofSeconds(10))
            .withDescription(
                    "--live: interval of WebSocket pings; a socket silent for three intervals is " + "reconnected.");

    public static final ConfigOption<Duration> LIVE_ACK_TIMEOUT = key("live.ack-timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(30))
            .withDescription("--live: the longest from connecting to every subscription acknowledged.");

    public static final ConfigOption<Duration> LIVE_PROVISIONAL = key("live.provisional")
            .durationType()
            .defaultValue(Duration.ofMinutes(1))
            .withDescription("--live: REST bars of windows closed less than this long before they were fetched may "
                    + "still change; they are fetched again once it has passed (later values win).");

    public static final ConfigOption<Duration> LIVE_RENEWAL = key("live.renewal")
            .durationType()
            .defaultValue(Duration.ofMinutes(8))
            .withDescription("--live: interval at which subscriptions the provider lets lapse are renewed (IBKR "
                    + "ends market-data subscriptions after 10 minutes).");

    public static final ConfigOption<String> POLYGON_KEY_FILE = key("polygon-key-file")
            .stringType()
            .noDefaultValue()
            .withDescription("File whose first line is the Polygon API key. Without it the key comes from the "
                    + "environment variable POLYGON_API_KEY. There is no key flag: a command line is visible to "
                    + "every user of the machine.");

    public static final ConfigOption<String> ALPACA_KEY_FILE = key("alpaca-key-file")
            .stringType()
            .noDefaultValue()
            .withDescription("File with the Alpaca key id on its first line and the secret key on its second. "
                    + "Without it they come from the environment variables APCA_API_KEY_ID and "
                    + "APCA_API_SECRET_KEY.");
}
