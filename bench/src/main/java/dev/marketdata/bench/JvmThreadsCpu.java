package dev.marketdata.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU seconds this JVM's own housekeeping threads have used, from /proc/self/task: the JIT compiler threads
 * and the garbage collector's threads. (The JVM's management beans give compile and pause times as elapsed
 * time, which on a busy machine says more about the machine than about the JVM.)
 */
final class JvmThreadsCpu {

    private static final double TICKS = 100.0; // USER_HZ

    private JvmThreadsCpu() {}

    /** {JIT seconds, GC seconds}, or NaNs when /proc cannot be read. */
    static double[] now() {
        long jit = 0;
        long gc = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue; // the thread ended meanwhile
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                    jit += ticks;
                } else if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
                    gc += ticks;
                }
            }
        } catch (IOException | RuntimeException e) {
            return new double[] {Double.NaN, Double.NaN};
        }
        return new double[] {jit / TICKS, gc / TICKS};
    }
}
