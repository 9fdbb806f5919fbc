package dev.marketdata.sources.provider.live;

import dev.marketdata.sources.provider.Provider;
import dev.marketdata.sources.provider.ProviderMetrics;
import java.util.function.IntSupplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;

/**
 * The metrics of a live source, under {@code <source operator>.provider.<provider id>.live}, beside the
 * {@link ProviderMetrics} of its REST requests (Prometheus:
 * {@code flink_taskmanager_job_task_operator_provider_live_<name>{provider="polygon",...}}). Counters are
 * thread-safe: the socket and connection threads count too. Names never change (alerts and dashboards use them).
 */
public final class LiveMetrics {

    /** Group under {@link ProviderMetrics#PROVIDER_GROUP}{@code .<provider id>}. */
    public static final String LIVE_GROUP = "live";
    /** Gauge: records waiting in the buffer between the socket and the reader. */
    public static final String BUFFER_FILL = "bufferFill";
    /** Gauge: the buffer's capacity in records ({@code --live-buffer}). */
    public static final String BUFFER_CAPACITY = "bufferCapacity";
    /** Counter: records dropped to the dead-letter queue by {@code --overflow drop-oldest}. */
    public static final String DROPPED = "droppedOnOverflow";
    /** Counter: reconnects, whatever the cause (lost socket, slow client, watchdog, connection limit). */
    public static final String RECONNECTS = "reconnects";
    /** Counter: the provider refused a connection over the account's limit (Polygon, Alpaca 406). */
    public static final String CONNECTION_LIMIT_ERRORS = "connectionLimitErrors";
    /** Counter: REST requests sent to repair a gap (after connects, restores, and for provisional windows). */
    public static final String GAP_REPAIR_REQUESTS = "gapRepairRequests";
    /** Counter: bars emitted from gap repair (not already emitted with the same values). */
    public static final String BARS_REPAIRED = "barsRepaired";
    /** Counter: bars received on the socket. */
    public static final String BARS_STREAMED = "barsStreamed";
    /** Gauge: 1 while a connection is subscribed and streaming, else 0. */
    public static final String CONNECTED = "connected";

    /** Dead-letter reason of a record dropped by {@link OverflowPolicy#DROP_OLDEST}. */
    public static final String OVERFLOW = "OVERFLOW";

    final Counter dropped;
    final Counter reconnects;
    final Counter connectionLimitErrors;
    final Counter gapRepairRequests;
    final Counter barsRepaired;
    final Counter barsStreamed;

    LiveMetrics(MetricGroup parent, Provider provider, IntSupplier fill, int capacity, IntSupplier connected) {
        MetricGroup group =
                parent.addGroup(ProviderMetrics.PROVIDER_GROUP, provider.id()).addGroup(LIVE_GROUP);
        group.gauge(BUFFER_FILL, fill::getAsInt);
        group.gauge(BUFFER_CAPACITY, () -> capacity);
        group.gauge(CONNECTED, connected::getAsInt);
        dropped = group.counter(DROPPED, new ThreadSafeSimpleCounter());
        reconnects = group.counter(RECONNECTS, new ThreadSafeSimpleCounter());
        connectionLimitErrors = group.counter(CONNECTION_LIMIT_ERRORS, new ThreadSafeSimpleCounter());
        gapRepairRequests = group.counter(GAP_REPAIR_REQUESTS, new ThreadSafeSimpleCounter());
        barsRepaired = group.counter(BARS_REPAIRED, new ThreadSafeSimpleCounter());
        barsStreamed = group.counter(BARS_STREAMED, new ThreadSafeSimpleCounter());
    }
}
