package dev.marketdata.job.provider;

import static dev.marketdata.job.provider.ProviderOptions.ALPACA_FEED;
import static dev.marketdata.job.provider.ProviderOptions.ALPACA_KEY_FILE;
import static dev.marketdata.job.provider.ProviderOptions.ALPACA_OPTIONS_FEED;
import static dev.marketdata.job.provider.ProviderOptions.ALPACA_TRADING_URL;
import static dev.marketdata.job.provider.ProviderOptions.ALPACA_URL;
import static dev.marketdata.job.provider.ProviderOptions.ALPACA_WS_URL;
import static dev.marketdata.job.provider.ProviderOptions.FROM;
import static dev.marketdata.job.provider.ProviderOptions.IBKR_TRUST_SELF_SIGNED;
import static dev.marketdata.job.provider.ProviderOptions.IBKR_URL;
import static dev.marketdata.job.provider.ProviderOptions.IBKR_WS_URL;
import static dev.marketdata.job.provider.ProviderOptions.LIVE;
import static dev.marketdata.job.provider.ProviderOptions.LIVE_ACK_TIMEOUT;
import static dev.marketdata.job.provider.ProviderOptions.LIVE_BUFFER;
import static dev.marketdata.job.provider.ProviderOptions.LIVE_CONNECTION_LIMIT_BACKOFF;
import static dev.marketdata.job.provider.ProviderOptions.LIVE_DATA_TIMEOUT;
import static dev.marketdata.job.provider.ProviderOptions.LIVE_HEARTBEAT;
import static dev.marketdata.job.provider.ProviderOptions.LIVE_PROVISIONAL;
import static dev.marketdata.job.provider.ProviderOptions.LIVE_RECONNECT_INITIAL_BACKOFF;
import static dev.marketdata.job.provider.ProviderOptions.LIVE_RECONNECT_MAX_BACKOFF;
import static dev.marketdata.job.provider.ProviderOptions.LIVE_RENEWAL;
import static dev.marketdata.job.provider.ProviderOptions.LIVE_WATCHDOG_OUTSIDE_SESSIONS;
import static dev.marketdata.job.provider.ProviderOptions.OVERFLOW;
import static dev.marketdata.job.provider.ProviderOptions.POLYGON_KEY_FILE;
import static dev.marketdata.job.provider.ProviderOptions.POLYGON_URL;
import static dev.marketdata.job.provider.ProviderOptions.POLYGON_WS_URL;
import static dev.marketdata.job.provider.ProviderOptions.PROVIDER_CONNECT_TIMEOUT;
import static dev.marketdata.job.provider.ProviderOptions.PROVIDER_EMPTY_RETRIES;
import static dev.marketdata.job.provider.ProviderOptions.PROVIDER_REQUEST_TIMEOUT;
import static dev.marketdata.job.provider.ProviderOptions.PROVIDER_RETRY_BUDGET;
import static dev.marketdata.job.provider.ProviderOptions.PROVIDER_RETRY_INITIAL_BACKOFF;
import static dev.marketdata.job.provider.ProviderOptions.PROVIDER_RETRY_MAX_BACKOFF;
import static dev.marketdata.job.provider.ProviderOptions.REQUESTS_PER_MINUTE;
import static dev.marketdata.job.provider.ProviderOptions.TICKERS;
import static dev.marketdata.job.provider.ProviderOptions.TICKERS_FILE;
import static dev.marketdata.job.provider.ProviderOptions.TIMEFRAME;
import static dev.marketdata.job.provider.ProviderOptions.TO;
import static org.apache.flink.util.Preconditions.checkArgument;

import dev.marketdata.job.core.OptionFiles;
import dev.marketdata.job.core.SourceKind;
import dev.marketdata.job.dataset.Dataset;
import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.model.Fundamentals;
import dev.marketdata.sources.model.NewsArticle;
import dev.marketdata.sources.model.OptionQuote;
import dev.marketdata.sources.provider.BarPages;
import dev.marketdata.sources.provider.BarsProtocol;
import dev.marketdata.sources.provider.Credentials;
import dev.marketdata.sources.provider.NewYorkCalendar;
import dev.marketdata.sources.provider.PageProtocol;
import dev.marketdata.sources.provider.ProviderItem;
import dev.marketdata.sources.provider.ProviderSettings;
import dev.marketdata.sources.provider.ProviderSettings.HttpSettings;
import dev.marketdata.sources.provider.ProviderSource;
import dev.marketdata.sources.provider.alpaca.AlpacaBarsProtocol;
import dev.marketdata.sources.provider.alpaca.AlpacaLiveProtocol;
import dev.marketdata.sources.provider.alpaca.AlpacaNewsProtocol;
import dev.marketdata.sources.provider.alpaca.AlpacaOptionsProtocol;
import dev.marketdata.sources.provider.ibkr.IbkrBarsProtocol;
import dev.marketdata.sources.provider.ibkr.IbkrLiveProtocol;
import dev.marketdata.sources.provider.live.LiveProtocol;
import dev.marketdata.sources.provider.live.LiveSettings;
import dev.marketdata.sources.provider.live.LiveSource;
import dev.marketdata.sources.provider.polygon.PolygonFinancialsProtocol;
import dev.marketdata.sources.provider.polygon.PolygonLiveProtocol;
import dev.marketdata.sources.provider.polygon.PolygonNewsProtocol;
import dev.marketdata.sources.provider.polygon.PolygonOptionsProtocol;
import dev.marketdata.sources.provider.polygon.PolygonProtocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Builds a provider's backfill source from the options: which protocol, base URL, credentials (from a key file
 * or the providers' own environment variables, never the command line), tickers, window and HTTP settings.
 */
public final class ProviderInput {

    /** Polygon's key, the variable its official clients read. */
    public static final String POLYGON_KEY_ENV = "POLYGON_API_KEY";
    /** Alpaca's key id, the variable its SDKs read. */
    public static final String ALPACA_KEY_ID_ENV = "APCA_API_KEY_ID";
    /** Alpaca's secret key, the variable its SDKs read. */
    public static final String ALPACA_SECRET_ENV = "APCA_API_SECRET_KEY";

    private ProviderInput() {}

    /** {@link ProviderSettings#options()} key of Alpaca's trading API base URL (its assets lookup). */
    public static final String ALPACA_TRADING_URL_OPTION = "trading-url";

    /** The protocol of a provider source kind, with its defaults. */
    public static BarsProtocol protocol(SourceKind kind) {
        return protocol(kind, Map.of());
    }

    /** The protocol of a provider source kind, configured by the provider options of its settings. */
    public static BarsProtocol protocol(SourceKind kind, Map<String, String> options) {
        return switch (kind) {
            case POLYGON -> new PolygonProtocol();
            case ALPACA ->
                new AlpacaBarsProtocol(
                        options.getOrDefault(AlpacaBarsProtocol.FEED_OPTION, "iex"),
                        "raw",
                        options.getOrDefault(ALPACA_TRADING_URL_OPTION, AlpacaBarsProtocol.DEFAULT_TRADING_URL));
            case IBKR -> IbkrBarsProtocol.defaults();
            default -> throw new IllegalArgumentException(kind + " is not a provider source");
        };
    }

    /**
     * The data sets a provider source serves, as {@code --datasets} names them, bars first. A data set not listed
     * here is refused at start (see {@code JobSettings}), never silently left out.
     */
    public static List<String> datasets(SourceKind kind) {
        return switch (kind) {
            case POLYGON ->
                List.of(Dataset.BARS.name(), Dataset.OPTIONS.name(), Dataset.FUNDAMENTALS.name(), Dataset.NEWS.name());
            case ALPACA -> List.of(Dataset.BARS.name(), Dataset.OPTIONS.name(), Dataset.NEWS.name());
            // providers.md documents no Client Portal endpoint for option quotes or fundamentals.
            case IBKR -> List.of(Dataset.BARS.name());
            default -> throw new IllegalArgumentException(kind + " is not a provider source");
        };
    }

    /**
     * The source of a provider's records of a data set, one {@link #datasets} lists.
     *
     * @throws IllegalArgumentException when the provider does not serve {@code dataset}, or (bars) has no bars of
     *     the timeframe
     */
    public static <T> ProviderSource<T> source(SourceKind kind, Dataset<T> dataset, ProviderSettings settings) {
        return new ProviderSource<>(pageProtocol(kind, dataset, settings), settings, itemType(dataset));
    }

    /** The emitted type of a provider source of {@code dataset}, a POJO type with the record's own type inside. */
    @SuppressWarnings("unchecked") // each case matches the data set, whose record type is T
    private static <T> TypeInformation<ProviderItem<T>> itemType(Dataset<T> dataset) {
        Dataset<?> d = dataset;
        TypeInformation<?> type = d == Dataset.NEWS
                ? new TypeHint<ProviderItem<NewsArticle>>() {}.getTypeInfo()
                : d == Dataset.OPTIONS
                        ? new TypeHint<ProviderItem<OptionQuote>>() {}.getTypeInfo()
                        : d == Dataset.FUNDAMENTALS
                                ? new TypeHint<ProviderItem<Fundamentals>>() {}.getTypeInfo()
                                : new TypeHint<ProviderItem<Bar>>() {}.getTypeInfo();
        return (TypeInformation<ProviderItem<T>>) type;
    }

    /**
     * The protocol of a provider's records of a data set.
     *
     * @throws IllegalArgumentException when the provider does not serve {@code dataset}
     */
    @SuppressWarnings("unchecked") // each case matches the data set, whose record type is the protocol's
    static <T> PageProtocol<T> pageProtocol(SourceKind kind, Dataset<T> dataset, ProviderSettings settings) {
        Dataset<?> d = dataset;
        Map<String, String> options = settings.options();
        PageProtocol<?> protocol = null;
        if (d == Dataset.BARS) {
            protocol = new BarPages(protocol(kind, options), settings.timeframe());
        } else if (kind == SourceKind.POLYGON) {
            protocol = d == Dataset.NEWS
                    ? new PolygonNewsProtocol()
                    : d == Dataset.OPTIONS
                            ? new PolygonOptionsProtocol()
                            : d == Dataset.FUNDAMENTALS ? new PolygonFinancialsProtocol() : null;
        } else if (kind == SourceKind.ALPACA) {
            AlpacaBarsProtocol alpaca = (AlpacaBarsProtocol) protocol(kind, options);
            protocol = d == Dataset.NEWS
                    ? new AlpacaNewsProtocol(alpaca)
                    : d == Dataset.OPTIONS
                            ? new AlpacaOptionsProtocol(
                                    alpaca, options.getOrDefault(AlpacaOptionsProtocol.FEED_OPTION, "opra"))
                            : null;
        }
        if (protocol == null) {
            throw new IllegalArgumentException(kind.name().toLowerCase(Locale.ROOT) + " serves --datasets "
                    + String.join(",", datasets(kind)) + " only, not " + dataset.name());
        }
        return (PageProtocol<T>) protocol;
    }

    /**
     * The settings of one of {@code sources} provider sources of one job (bars and news of the same provider run
     * side by side): each gets an equal share of {@code --requests-per-minute}, at least one a minute, so that the
     * job together stays under the provider's limit.
     */
    public static ProviderSettings share(ProviderSettings settings, int sources) {
        checkArgument(sources > 0, "at least one source shares the rate");
        return new ProviderSettings(
                settings.baseUrl(),
                settings.credentials(),
                settings.tickers(),
                settings.timeframe(),
                settings.from(),
                settings.to(),
                settings.options(),
                Math.max(1, settings.requestsPerMinute() / sources),
                settings.http());
    }

    /** The end of the (unused) REST window of a live source's settings. */
    static final Instant LIVE_WINDOW_END = Instant.parse("9999-12-31T00:00:00Z");

    /**
     * The live protocol of a provider source kind. Alpaca's gap repair asks REST for the stream's own feed: a
     * {@code --alpaca-feed} other than the one {@code --alpaca-ws-url} streams is refused.
     */
    public static LiveProtocol liveProtocol(SourceKind kind, ProviderSettings settings, LiveSettings live) {
        return switch (kind) {
            case POLYGON -> new PolygonLiveProtocol();
            case ALPACA -> {
                String restFeed = settings.options().getOrDefault(AlpacaBarsProtocol.FEED_OPTION, "iex");
                String streamFeed = AlpacaLiveProtocol.feedOf(live.webSocketUrl())
                        .orElseThrow(() -> new IllegalArgumentException(
                                "--alpaca-ws-url must end in the feed it streams (/v2/iex or " + "/v2/sip), got "
                                        + live.webSocketUrl()));
                checkArgument(
                        streamFeed.equals(restFeed),
                        "--alpaca-ws-url streams the %s feed but --alpaca-feed "
                                + "is %s: gap repair must fetch the stream's own feed",
                        streamFeed,
                        restFeed);
                yield new AlpacaLiveProtocol((AlpacaBarsProtocol) protocol(kind, settings.options()));
            }
            case IBKR -> {
                checkArgument(
                        settings.tickers().size() <= IbkrLiveProtocol.MAX_TICKERS,
                        "--live with --source ibkr "
                                + "streams at most %s tickers (the gateway's limit of streaming-history subscriptions), got %s",
                        IbkrLiveProtocol.MAX_TICKERS,
                        settings.tickers().size());
                yield new IbkrLiveProtocol(IbkrBarsProtocol.defaults());
            }
            default ->
                throw new IllegalArgumentException(kind.name().toLowerCase(Locale.ROOT) + " has no live stream yet");
        };
    }

    /** The live source of a provider's bars ({@code --live}). */
    public static LiveSource liveSource(SourceKind kind, ProviderSettings settings, LiveSettings live) {
        return new LiveSource(liveProtocol(kind, settings, live), settings, live);
    }

    /**
     * The live-stream settings from the options ({@code --live}); {@code --from}, when given, is where the first
     * connection backfills from.
     *
     * @throws IllegalArgumentException naming the option that is wrong
     */
    public static LiveSettings liveSettings(SourceKind kind, ReadableConfig options) {
        checkArgument(options.get(LIVE_BUFFER) > 0, "--live-buffer must be positive, got %s", options.get(LIVE_BUFFER));
        String url =
                switch (kind) {
                    case POLYGON -> options.get(POLYGON_WS_URL);
                    case ALPACA -> options.get(ALPACA_WS_URL);
                    case IBKR -> options.get(IBKR_WS_URL);
                    default ->
                        throw new IllegalArgumentException("--live goes with --source polygon, alpaca or ibkr, not "
                                + kind.name().toLowerCase(Locale.ROOT));
                };
        checkArgument(
                options.get(TIMEFRAME).equals("1m"),
                "--live streams 1-minute bars: --timeframe 1m, not %s",
                options.get(TIMEFRAME));
        Instant from = options.getOptional(FROM)
                .map(f -> instant(FROM.key(), f, false))
                .orElse(null);
        return new LiveSettings(
                url,
                options.get(LIVE_BUFFER),
                options.get(OVERFLOW),
                options.get(LIVE_RECONNECT_INITIAL_BACKOFF),
                options.get(LIVE_RECONNECT_MAX_BACKOFF),
                options.get(LIVE_CONNECTION_LIMIT_BACKOFF),
                options.get(LIVE_DATA_TIMEOUT),
                options.get(LIVE_WATCHDOG_OUTSIDE_SESSIONS),
                options.get(LIVE_HEARTBEAT),
                options.get(LIVE_ACK_TIMEOUT),
                options.get(LIVE_PROVISIONAL),
                options.get(LIVE_RENEWAL),
                from);
    }

    /**
     * The settings of a provider source from the options and the process environment.
     *
     * @throws IllegalArgumentException naming the option that is missing or wrong
     */
    public static ProviderSettings settings(SourceKind kind, ReadableConfig options, Map<String, String> env) {
        BarsProtocol protocol = protocol(kind);
        String timeframe = options.get(TIMEFRAME);
        checkArgument(
                protocol.supports(timeframe),
                "--timeframe: %s has no %s bars",
                kind.name().toLowerCase(Locale.ROOT),
                timeframe);
        Instant from;
        Instant to;
        if (options.get(LIVE)) {
            checkArgument(options.getOptional(TO).isEmpty(), "--live streams until stopped: leave --to out");
            // The REST window of a live source is not used; --from is the backfill start of its first connection.
            from = options.getOptional(FROM)
                    .map(f -> instant(FROM.key(), f, false))
                    .orElse(Instant.now());
            to = LIVE_WINDOW_END;
        } else {
            from = instant(
                    FROM.key(),
                    options.getOptional(FROM)
                            .orElseThrow(() -> new IllegalArgumentException("--from is required with --source "
                                    + kind.name().toLowerCase(Locale.ROOT) + " (or --live)")),
                    false);
            to = instant(
                    TO.key(),
                    options.getOptional(TO)
                            .orElseThrow(() -> new IllegalArgumentException("--to is required with --source "
                                    + kind.name().toLowerCase(Locale.ROOT) + " (or --live)")),
                    true);
        }
        checkArgument(from.isBefore(to), "--from (%s) must be before --to (%s)", from, to);
        HttpSettings http = new HttpSettings(
                options.get(PROVIDER_CONNECT_TIMEOUT),
                options.get(PROVIDER_REQUEST_TIMEOUT),
                options.get(PROVIDER_RETRY_BUDGET),
                options.get(PROVIDER_RETRY_INITIAL_BACKOFF),
                options.get(PROVIDER_RETRY_MAX_BACKOFF),
                options.get(PROVIDER_EMPTY_RETRIES),
                kind == SourceKind.IBKR && options.get(IBKR_TRUST_SELF_SIGNED));
        int rpm = options.getOptional(REQUESTS_PER_MINUTE).orElse(protocol.defaultRequestsPerMinute());
        checkArgument(rpm > 0, "--requests-per-minute must be positive, got %s", rpm);
        return new ProviderSettings(
                switch (kind) {
                    case POLYGON -> options.get(POLYGON_URL);
                    case ALPACA -> options.get(ALPACA_URL);
                    default -> options.get(IBKR_URL);
                },
                credentials(kind, options, env),
                tickers(options),
                timeframe,
                from,
                to,
                kind == SourceKind.ALPACA
                        ? Map.of(
                                AlpacaBarsProtocol.FEED_OPTION,
                                options.get(ALPACA_FEED).name().toLowerCase(Locale.ROOT),
                                AlpacaOptionsProtocol.FEED_OPTION,
                                options.get(ALPACA_OPTIONS_FEED).name().toLowerCase(Locale.ROOT),
                                ALPACA_TRADING_URL_OPTION,
                                options.get(ALPACA_TRADING_URL))
                        : Map.of(),
                rpm,
                http);
    }

    /**
     * A date (whole New York day: its start for {@code --from}, the next day's start for {@code --to}) or an
     * RFC 3339 instant.
     */
    static Instant instant(String flag, String text, boolean end) {
        try {
            LocalDate day = LocalDate.parse(text);
            return (end ? day.plusDays(1) : day)
                    .atStartOfDay(NewYorkCalendar.NEW_YORK)
                    .toInstant();
        } catch (DateTimeParseException notADate) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--" + flag + " must be a date (2024-03-01) or an RFC 3339 "
                        + "instant (2024-03-01T14:30:00Z), got " + text);
            }
        }
    }

    private static List<String> tickers(ReadableConfig options) {
        boolean inline = options.getOptional(TICKERS).isPresent();
        boolean file = options.getOptional(TICKERS_FILE).isPresent();
        checkArgument(inline != file, "give the tickers with --tickers or --tickers-file (exactly one of them)");
        List<String> tickers;
        if (inline) {
            tickers = Arrays.stream(options.get(TICKERS).split(","))
                    .map(String::trim)
                    .filter(t -> !t.isEmpty())
                    .toList();
        } else {
            Path path = Path.of(options.get(TICKERS_FILE));
            try {
                tickers = Files.readAllLines(path).stream()
                        .map(String::trim)
                        .filter(t -> !t.isEmpty() && !t.startsWith("#"))
                        .toList();
            } catch (IOException e) {
                throw OptionFiles.unreadable("--tickers-file", path, e);
            }
        }
        checkArgument(!tickers.isEmpty(), "no tickers given");
        return tickers.stream().distinct().toList();
    }

    private static Credentials credentials(SourceKind kind, ReadableConfig options, Map<String, String> env) {
        switch (kind) {
            case POLYGON: {
                if (options.getOptional(POLYGON_KEY_FILE).isPresent()) {
                    List<String> lines = lines(POLYGON_KEY_FILE.key(), options.get(POLYGON_KEY_FILE), 1);
                    return Credentials.key(lines.get(0));
                }
                String key = env.get(POLYGON_KEY_ENV);
                checkArgument(
                        key != null && !key.isBlank(),
                        "--source polygon needs a key: set %s or give --polygon-key-file",
                        POLYGON_KEY_ENV);
                return Credentials.key(key.trim());
            }
            case ALPACA: {
                if (options.getOptional(ALPACA_KEY_FILE).isPresent()) {
                    List<String> lines = lines(ALPACA_KEY_FILE.key(), options.get(ALPACA_KEY_FILE), 2);
                    return Credentials.keyPair(lines.get(0), lines.get(1));
                }
                String id = env.get(ALPACA_KEY_ID_ENV);
                String secret = env.get(ALPACA_SECRET_ENV);
                checkArgument(
                        id != null && !id.isBlank() && secret != null && !secret.isBlank(),
                        "--source alpaca needs a key: set %s and %s or give --alpaca-key-file",
                        ALPACA_KEY_ID_ENV,
                        ALPACA_SECRET_ENV);
                return Credentials.keyPair(id.trim(), secret.trim());
            }
            default:
                // The gateway carries the session a human logged into.
                return Credentials.none();
        }
    }

    /** The first {@code n} non-blank lines of a key file; its content never appears in a message. */
    private static List<String> lines(String flag, String file, int n) {
        Path path = Path.of(file);
        try {
            List<String> lines = Files.readAllLines(path).stream()
                    .map(String::trim)
                    .filter(l -> !l.isEmpty())
                    .toList();
            checkArgument(lines.size() >= n, "--%s %s must hold %s non-empty line(s)", flag, path, n);
            return lines.subList(0, n);
        } catch (IOException e) {
            throw OptionFiles.unreadable("--" + flag, path, e);
        }
    }
}
