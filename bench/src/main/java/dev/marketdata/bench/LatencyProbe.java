package dev.marketdata.bench;

import dev.marketdata.bench.ClockedBarSource.ReaderClock;
import dev.marketdata.sources.synthetic.SyntheticBars;
import dev.marketdata.sources.synthetic.SyntheticSpec;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * End-to-end latency from a record's creation to its row being committed and visible. The rate-limited source
 * schedules each record ({@link ClockedBarSource}): that schedule, not the moment the source got round to
 * emitting it, is the record's creation, as in a live feed that does not wait for a slow pipeline. Every few milliseconds this probe asks the database for the
 * newest committed bar of a sample of symbols (an index lookup each, cheap enough not to disturb the job). One
 * writer owns each symbol and commits its rows in order, so a newest bar {@code j} means bars up to {@code j} are
 * all visible: each newly visible bar's latency is the poll's send time minus the bar's scheduled time. The
 * resolution is the poll interval.
 */
final class LatencyProbe implements AutoCloseable {

    private final SyntheticSpec spec;
    private final int[] sampled;
    private final long[] newestSeen;
    private final long[] latenciesNanos;
    private final long[] scheduledNanos;
    private final long warmupNanos;
    private final long pollNanos;
    private final Connection connection;
    private final Thread thread;
    private int count;
    private long polls;
    private volatile boolean running = true;
    private volatile SQLException failure;
    private Map<Integer, long[]> schedule; // symbol index -> {reader start nanos, position, reader's symbol count}

    /**
     * @param samples how many symbols to watch (spread evenly over all of them)
     * @param warmup records scheduled this soon after the readers started are not counted (JIT, first
     *     connection, first checkpoint)
     */
    LatencyProbe(Connection connection, SyntheticSpec spec, int samples, Duration poll, Duration warmup) {
        this.connection = connection;
        this.spec = spec;
        int n = Math.min(samples, spec.symbols());
        this.sampled = new int[n];
        for (int k = 0; k < n; k++) {
            sampled[k] = (int) ((long) k * spec.symbols() / n);
        }
        this.newestSeen = new long[n];
        Arrays.fill(newestSeen, -1);
        this.latenciesNanos = new long[(int) Math.min(Integer.MAX_VALUE - 8, (long) n * spec.stepsPerSymbol())];
        this.scheduledNanos = new long[latenciesNanos.length];
        this.warmupNanos = warmup.toNanos();
        this.pollNanos = poll.toNanos();
        this.thread = new Thread(this::run, "bench-latency-probe");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        String[] symbols =
                Arrays.stream(sampled).mapToObj(SyntheticBars::symbol).toArray(String[]::new);
        String sql = "SELECT s.i, (SELECT max(ts) FROM bars b WHERE b.symbol = s.sym AND b.timeframe = '"
                + SyntheticSpec.TIMEFRAME + "') FROM unnest(?::text[]) WITH ORDINALITY AS s(sym, i)";
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            Array array = connection.createArrayOf("text", symbols);
            query.setArray(1, array);
            while (running && !done()) {
                long sent = System.nanoTime();
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        OffsetDateTime newest = rs.getObject(2, OffsetDateTime.class);
                        if (newest != null) {
                            record(rs.getInt(1) - 1, newest, sent);
                        }
                    }
                }
                polls++;
                long sleep = sent + pollNanos - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
        } catch (SQLException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean done() {
        for (long seen : newestSeen) {
            if (seen < spec.stepsPerSymbol() - 1) {
                return false;
            }
        }
        return true;
    }

    private void record(int k, OffsetDateTime newest, long visibleAt) {
        long bar = Duration.between(spec.start(), newest.toInstant()).toMinutes();
        if (bar <= newestSeen[k]) {
            return;
        }
        long[] when = schedule().get(sampled[k]);
        if (when == null) {
            return; // cannot happen once readers have their splits; rows need readers
        }
        // The source caps each symbol at rate / symbols: a reader holding n symbols emits one record every
        // 1 / (rate / symbols * n) seconds, round-robin over its symbols.
        double nanosPerRecord = 1e9 / (spec.recordsPerSecond() / spec.symbols() * when[2]);
        for (long j = newestSeen[k] + 1; j <= bar; j++) {
            long offset = (long) ((j * when[2] + when[1]) * nanosPerRecord);
            if (offset >= warmupNanos && count < latenciesNanos.length) {
                scheduledNanos[count] = offset;
                latenciesNanos[count++] = visibleAt - (when[0] + offset);
            }
        }
        newestSeen[k] = bar;
    }

    private Map<Integer, long[]> schedule() {
        if (schedule == null || schedule.size() < spec.symbols()) {
            Map<Integer, long[]> s = new HashMap<>();
            for (ReaderClock reader : ClockedBarSource.READERS.values()) {
                synchronized (reader.symbols()) {
                    for (int pos = 0; pos < reader.symbols().size(); pos++) {
                        s.put(reader.symbols().get(pos), new long[] {
                            reader.startNanos(), pos, reader.symbols().size()
                        });
                    }
                }
            }
            schedule = s;
        }
        return schedule;
    }

    /**
     * Stops the probe after it has seen every sampled symbol's last bar, or after {@code timeout}; writes each
     * sample (scheduled ms after start, latency ms) to {@code dump} when given.
     */
    Result finish(Duration timeout, java.nio.file.Path dump)
            throws SQLException, InterruptedException, java.io.IOException {
        thread.join(timeout.toMillis());
        running = false;
        thread.join();
        if (failure != null) {
            throw failure;
        }
        if (dump != null) {
            try (var w = java.nio.file.Files.newBufferedWriter(dump)) {
                w.write("scheduled_ms,latency_ms\n");
                for (int i = 0; i < count; i++) {
                    w.write(String.format(
                            java.util.Locale.ROOT, "%.1f,%.1f%n", scheduledNanos[i] / 1e6, latenciesNanos[i] / 1e6));
                }
            }
        }
        long[] sorted = Arrays.copyOf(latenciesNanos, count);
        Arrays.sort(sorted);
        return new Result(count, polls, percentile(sorted, 0.50), percentile(sorted, 0.99), percentile(sorted, 1.0));
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
        return sorted[i] / 1e6;
    }

    @Override
    public void close() throws SQLException {
        running = false;
        connection.close();
    }

    /** Latency percentiles in milliseconds over {@code samples} records. */
    record Result(int samples, long polls, double p50Ms, double p99Ms, double maxMs) {}
}
