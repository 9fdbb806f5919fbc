package dev.marketdata.job.testing;

import dev.marketdata.job.local.JvmFlags;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The job's command line ({@code bin/run-local}'s entry point) in a JVM of its own, as a user runs it, so a test
 * can read its exit status and output, or kill it.
 */
public final class JobProcess implements AutoCloseable {

    private final Process process;
    private final Path output;

    private JobProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts {@code mainClass} with {@code args} in {@code workDir}, the test class path, and extra environment. */
    public static JobProcess start(Path workDir, Map<String, String> environment, String mainClass, String... args)
            throws IOException {
        return startWithClassPath(
                workDir, environment, List.of(), System.getProperty("java.class.path"), mainClass, args);
    }

    /** As {@link #start}, with extra JVM options and a class path of its own. */
    public static JobProcess startWithClassPath(
            Path workDir,
            Map<String, String> environment,
            List<String> jvmOptions,
            String classPath,
            String mainClass,
            String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JvmFlags.fromRepository(Path.of("..")));
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(Arrays.asList(args));
        Files.createDirectories(workDir);
        Path output = Files.createTempFile(workDir, "job-", ".out");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        return new JobProcess(builder.start(), output);
    }

    /** Waits for the exit status; fails the test if the process outlives the timeout. */
    public int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("still running after " + seconds + " s; output:\n" + output());
        }
        return process.exitValue();
    }

    public String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** {@code kill -9}: no shutdown hook, no flush, no goodbye. */
    public void killHard() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                killHard();
            }
        }
    }
}
