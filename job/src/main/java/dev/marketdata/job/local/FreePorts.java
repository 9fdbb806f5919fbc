package dev.marketdata.job.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TCP ports on 127.0.0.1 that are free now, for a server another process binds a moment later (a local
 * PostgreSQL, a Kafka broker, the JobManager's REST endpoint, a Prometheus reporter range).
 *
 * <p>The ports come from below the kernel's ephemeral range ({@code /proc/sys/net/ipv4/ip_local_port_range},
 * 32768-60999 on Linux by default). A port that {@code new ServerSocket(0)} returned is itself ephemeral: between
 * closing the probe and the other process binding it, the kernel may hand the same port to any socket bound to
 * port 0, and Flink binds several that way (its BLOB server's {@code blob.server.port} defaults to {@code 0}).
 * That race once gave a cluster test's REST port to the JobManager's own BLOB server. Ports below the range are
 * never handed out implicitly, so only another explicit chooser could take one; a random start and a
 * per-JVM cursor keep two choosers apart.
 */
public final class FreePorts {

    private static final int LOWEST = 15_000;
    private static final AtomicInteger NEXT = new AtomicInteger(
            LOWEST + ThreadLocalRandom.current().nextInt(Math.max(1, ephemeralRangeStart() - LOWEST - 1_000)));

    private FreePorts() {}

    /**
     * One free port below the ephemeral range.
     *
     * @throws UncheckedIOException if no port of the range is free
     */
    public static int take() {
        return takeRange(1);
    }

    /**
     * The first of {@code count} consecutive free ports below the ephemeral range, e.g. for
     * {@code metrics.reporter.prom.port: first-(first+count-1)}.
     *
     * @throws UncheckedIOException if no such run of free ports exists
     */
    public static int takeRange(int count) {
        int end = ephemeralRangeStart();
        int span = end - LOWEST;
        for (int tried = 0; tried < span; tried += count) {
            int first = NEXT.getAndAdd(count);
            if (first + count > end) {
                NEXT.compareAndSet(first + count, LOWEST);
                continue;
            }
            if (allFree(first, count)) {
                return first;
            }
        }
        throw new UncheckedIOException(
                new IOException("no " + count + " consecutive free ports between " + LOWEST + " and " + end));
    }

    private static boolean allFree(int first, int count) {
        for (int port = first; port < first + count; port++) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(false);
                probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }

    /**
     * The low end of Linux's ephemeral range; 32768 where it cannot be read or leaves too little room below it
     * (other systems start theirs at 49152 or above).
     */
    static int ephemeralRangeStart() {
        // readAllLines, not readString: procfs reports a size that makes readString return a single byte.
        try {
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                    .get(0)
                    .trim();
            int start = Integer.parseInt(range.split("\\s+")[0]);
            return start > LOWEST + 1_000 ? start : 32_768;
        } catch (IOException | RuntimeException unreadable) {
            return 32_768;
        }
    }
}
