package dev.marketdata.sources.provider;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

/** A metric group that keeps every metric registered under it, by dotted path (e.g. {@code provider.polygon.retries}). */
final class RecordingMetricGroup extends UnregisteredMetricsGroup {

    private final String prefix;
    private final Map<String, Metric> metrics;

    RecordingMetricGroup() {
        this("", new ConcurrentHashMap<>());
    }

    private RecordingMetricGroup(String prefix, Map<String, Metric> metrics) {
        this.prefix = prefix;
        this.metrics = metrics;
    }

    Map<String, Metric> metrics() {
        return metrics;
    }

    long count(String path) {
        Metric metric = metrics.get(path);
        return metric instanceof Counter c ? c.getCount() : metric instanceof Histogram h ? h.getCount() : -1;
    }

    @Override
    public Counter counter(String name) {
        return counter(name, new SimpleCounter());
    }

    @Override
    public <C extends Counter> C counter(String name, C counter) {
        metrics.put(prefix + name, counter);
        return counter;
    }

    @Override
    public <H extends Histogram> H histogram(String name, H histogram) {
        metrics.put(prefix + name, histogram);
        return histogram;
    }

    @Override
    public MetricGroup addGroup(String name) {
        return new RecordingMetricGroup(prefix + name + ".", metrics);
    }

    @Override
    public MetricGroup addGroup(String key, String value) {
        return new RecordingMetricGroup(prefix + key + "." + value + ".", metrics);
    }
}
