package dev.marketdata.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a scenario's client CPU went, from a Java Flight Recording: execution samples by thread, by component
 * (each sample charged to the first frame from the top that is not JDK code, so a {@code HashMap.put} called by
 * the sink writer counts as the sink's), and the hottest methods.
 */
final class JfrSummary {

    private static final Pattern THREAD_SUFFIX = Pattern.compile("( \\(\\d+/\\d+\\))?(#\\d+)?$|-\\d+$");

    /** Components, checked in order against a frame's class name. */
    private static final List<Map.Entry<String, String>> COMPONENTS = List.of(
            Map.entry("dev.marketdata.job.sink.table.PgBinaryCopyBuffer", "sink: COPY encoding"),
            Map.entry("dev.marketdata.job.sink.table.BarTable", "sink: COPY encoding"),
            Map.entry("dev.marketdata.job.sink.table.PgBatchWriter", "sink: COPY call"),
            Map.entry("dev.marketdata.job.sink", "sink: batching (key, map)"),
            Map.entry("org.postgresql", "pgjdbc driver"),
            Map.entry("org.apache.flink.connector.jdbc", "stock JdbcSink"),
            Map.entry("dev.marketdata.job.validate", "validation"),
            Map.entry("dev.marketdata.sources", "source: synthetic generator"),
            Map.entry("dev.marketdata.bench", "bench probes"),
            Map.entry("org.apache.flink.api.java.typeutils.runtime", "Flink: record serialization"),
            Map.entry("org.apache.flink.api.common.typeutils", "Flink: record serialization"),
            Map.entry("org.apache.flink.runtime.io.network", "Flink: network stack (keyBy shuffle)"),
            Map.entry("org.apache.flink.runtime.io", "Flink: network stack (keyBy shuffle)"),
            Map.entry("org.apache.flink.streaming.runtime.io", "Flink: network stack (keyBy shuffle)"),
            Map.entry("org.apache.flink", "Flink: other runtime"),
            Map.entry("", "other"));

    private JfrSummary() {}

    /** Summarizes the samples taken between {@code fromMs} and {@code toMs} (epoch milliseconds). */
    static String summarize(Path recording, int top, long fromMs, long toMs) throws IOException {
        Map<String, Integer> byThread = new HashMap<>();
        Map<String, Integer> byComponent = new HashMap<>();
        Map<String, Integer> byMethod = new HashMap<>();
        Map<String, Integer> otherPackages = new HashMap<>();
        int total = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            long at = event.getStartTime().toEpochMilli();
            if (at < fromMs || at > toMs) {
                continue; // JVM and cluster start-up, job submission, shut-down
            }
            total++;
            RecordedThread thread = event.getThread("sampledThread");
            String threadName = thread == null || thread.getJavaName() == null ? "?" : thread.getJavaName();
            byThread.merge(THREAD_SUFFIX.matcher(threadName).replaceAll(""), 1, Integer::sum);
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            RecordedFrame leaf = stack.getFrames().get(0);
            byMethod.merge(method(leaf), 1, Integer::sum);
            String component = "JDK only";
            for (RecordedFrame frame : stack.getFrames()) {
                String type = frame.getMethod().getType().getName();
                if (!(type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun."))) {
                    component = componentOf(type);
                    if (component.equals("other")) {
                        otherPackages.merge(type.substring(0, Math.max(0, type.lastIndexOf('.'))), 1, Integer::sum);
                    }
                    break;
                }
            }
            byComponent.merge(component, 1, Integer::sum);
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "  %d execution samples while the job ran (Java code on CPU; GC, JIT and native I/O not included)%n",
                total));
        out.append("  by thread:\n");
        appendTop(out, byThread, total, top);
        out.append("  by component (first non-JDK frame from the top):\n");
        appendTop(out, byComponent, total, 100);
        if (!otherPackages.isEmpty()) {
            out.append("  'other', by package:\n");
            appendTop(out, otherPackages, total, 5);
        }
        out.append("  hottest methods (self):\n");
        appendTop(out, byMethod, total, top);
        return out.toString();
    }

    private static String componentOf(String type) {
        for (var c : COMPONENTS) {
            if (type.startsWith(c.getKey())) {
                return c.getValue();
            }
        }
        return "other";
    }

    private static String method(RecordedFrame frame) {
        String type = frame.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "."
                + frame.getMethod().getName() + " (" + type.substring(0, Math.max(0, type.lastIndexOf('.'))) + ")";
    }

    private static void appendTop(StringBuilder out, Map<String, Integer> counts, int total, int top) {
        Map<String, Integer> sorted = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(top)
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        sorted.forEach((k, v) -> out.append(String.format(Locale.ROOT, "    %5.1f%%  %s%n", 100.0 * v / total, k)));
    }
}
