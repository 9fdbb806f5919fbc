package dev.marketdata.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole machine's busy CPU seconds (all cores, from /proc/stat), to tell how much other work ran next to a
 * scenario, and to wait for a quiet machine before starting one: the cores are shared with other users.
 */
final class MachineCpu {

    private static final double TICKS = 100.0; // USER_HZ

    private MachineCpu() {}

    /** {busy seconds, idle seconds} since boot, or NaNs when /proc/stat cannot be read. */
    static double[] now() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal ...
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                total += Long.parseLong(f[i]);
            }
            return new double[] {(total - idle) / TICKS, idle / TICKS};
        } catch (IOException | RuntimeException e) {
            return new double[] {Double.NaN, Double.NaN};
        }
    }

    static double busySeconds() {
        return now()[0];
    }

    /**
     * Waits until the machine's cores were busy less than {@code maxBusyCores} (in cores) over a one-second
     * window, at most {@code maxWaitMillis}; returns the seconds waited (or -1 when it gave up).
     */
    static double waitForQuiet(double maxBusyCores, long maxWaitMillis) throws InterruptedException {
        long start = System.nanoTime();
        while (true) {
            double[] a = now();
            Thread.sleep(1000);
            double[] b = now();
            double busy = (b[0] - a[0])
                    / Math.max(1e-9, (b[0] - a[0]) + (b[1] - a[1]))
                    * Runtime.getRuntime().availableProcessors();
            double waited = (System.nanoTime() - start) / 1e9;
            if (Double.isNaN(busy) || busy < maxBusyCores) {
                return waited;
            }
            if (waited * 1000 > maxWaitMillis) {
                return -1;
            }
        }
    }
}
