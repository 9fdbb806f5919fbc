package dev.marketdata.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU seconds a local PostgreSQL server has used, read from /proc: the postmaster and every live child (backends,
 * WAL writer, checkpointer, autovacuum), plus the children the postmaster has already reaped (its cutime/cstime),
 * so connections that came and went are counted too. Returns NaN when the server is not on this machine.
 */
final class ServerCpu {

    private static final double TICKS = 100.0; // USER_HZ: 100 on every Linux we run on

    private final long postmasterPid;

    ServerCpu(long postmasterPid) {
        this.postmasterPid = postmasterPid;
    }

    /** Finds the postmaster as the parent of a backend of ours, given that backend's pid. */
    static ServerCpu ofBackend(long backendPid) {
        long[] stat = stat(backendPid);
        return new ServerCpu(stat == null ? -1 : stat[0]);
    }

    long postmasterPid() {
        return postmasterPid;
    }

    boolean available() {
        return postmasterPid > 0 && stat(postmasterPid) != null;
    }

    double seconds() {
        long[] pm = stat(postmasterPid);
        if (pm == null) {
            return Double.NaN;
        }
        long ticks = pm[1] + pm[2] + pm[3] + pm[4];
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                long[] child = stat(Long.parseLong(name));
                if (child != null && child[0] == postmasterPid) {
                    ticks += child[1] + child[2] + child[3] + child[4];
                }
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return ticks / TICKS;
    }

    /** CPU seconds (user + system) one process has used so far, or NaN when it is gone. */
    static double processSeconds(long pid) {
        long[] stat = stat(pid);
        return stat == null ? Double.NaN : (stat[1] + stat[2]) / TICKS;
    }

    /** {ppid, utime, stime, cutime, cstime} of a process, or null when it is gone. */
    private static long[] stat(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may contain spaces: the fields we want follow its closing parenthesis.
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            // f[0] = state (field 3), f[1] = ppid (4), f[11..14] = utime, stime, cutime, cstime (14..17)
            return new long[] {
                Long.parseLong(f[1]),
                Long.parseLong(f[11]),
                Long.parseLong(f[12]),
                Long.parseLong(f[13]),
                Long.parseLong(f[14])
            };
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
