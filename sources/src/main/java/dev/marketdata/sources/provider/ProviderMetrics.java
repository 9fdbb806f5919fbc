package dev.marketdata.sources.provider;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The metrics of one provider's requests, under {@code <operator or coordinator>.provider.<id>}: the readers' bars
 * requests and the enumerator's ticker lookups each count their own.
 */
public final class ProviderMetrics {

    /** Group key; its value is {@link Provider#id()}. */
    public static final String PROVIDER_GROUP = "provider";
    /** Group key under the provider group; values {@code 2xx}, {@code 3xx}, {@code 4xx}, {@code 5xx}, {@code none}. */
    public static final String STATUS_CLASS_GROUP = "status_class";
    /** Counter under a status class: requests answered so ({@code none}: timed out or the connection broke). */
    public static final String REQUESTS = "requests";
    /** Counter: requests sent again after a retryable error, a session error or a suspect empty answer. */
    public static final String RETRIES = "retries";
    /** Counter: bars read from responses, before window checks and de-duplication. */
    public static final String BARS_RECEIVED = "barsReceived";
    /** Histogram: milliseconds from sending a request to having its whole answer (last 1024 requests). */
    public static final String REQUEST_LATENCY_MS = "requestLatencyMs";
    /** Counter: milliseconds requests waited for the rate limiter, in total. */
    public static final String RATE_LIMIT_WAIT_MS = "rateLimitWaitMs";

    static final String NO_STATUS = "none";
    private static final int LATENCY_WINDOW = 1024;

    private final MetricGroup group;
    private final Map<String, Counter> requestsByClass = new HashMap<>();
    private final Counter retries;
    private final Counter barsReceived;
    private final Histogram latency;
    private final Counter rateLimitWait;

    ProviderMetrics(MetricGroup parent, Provider provider) {
        group = parent.addGroup(PROVIDER_GROUP, provider.id());
        retries = group.counter(RETRIES);
        barsReceived = group.counter(BARS_RECEIVED);
        latency = group.histogram(REQUEST_LATENCY_MS, new DescriptiveStatisticsHistogram(LATENCY_WINDOW));
        rateLimitWait = group.counter(RATE_LIMIT_WAIT_MS);
    }

    /** The class of an HTTP status, e.g. {@code 4xx}; {@code none} for no answer. */
    static String statusClass(int status) {
        return status <= 0 ? NO_STATUS : (status / 100) + "xx";
    }

    synchronized void request(int status, long latencyNanos) {
        requestsByClass
                .computeIfAbsent(statusClass(status), c -> group.addGroup(STATUS_CLASS_GROUP, c)
                        .counter(REQUESTS))
                .inc();
        latency.update(latencyNanos / 1_000_000);
    }

    synchronized void retry() {
        retries.inc();
    }

    synchronized void barsReceived(int n) {
        barsReceived.inc(n);
    }

    synchronized void waited(long nanos) {
        rateLimitWait.inc(nanos / 1_000_000);
    }
}
