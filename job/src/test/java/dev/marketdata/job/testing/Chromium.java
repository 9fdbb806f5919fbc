package dev.marketdata.job.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Headless Chromium (Debian's {@code chromium} package, {@code /usr/bin/chromium}; {@code .ci/run} installs it) as a
 * test's browser: renders a page, runs its scripts for a few seconds of virtual time, then prints the resulting DOM
 * or saves a screenshot. Each call gets a fresh profile directory, and nothing phones home.
 */
public final class Chromium {

    private static final Path BINARY = Path.of("/usr/bin/chromium");
    /** Virtual time the page's scripts get before the DOM or the picture is taken, in milliseconds. */
    private static final int SETTLE_MS = 8000;

    private Chromium() {}

    /** The DOM of {@code url} after its scripts have run (Flink's web UI renders the job graph as SVG text). */
    public static String dumpDom(Path profile, String url) throws IOException, InterruptedException {
        Path out = run(profile, List.of("--dump-dom", url), () -> false);
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** A 1600x1000 PNG of {@code url} into {@code png}. */
    public static void screenshot(Path profile, String url, Path png) throws IOException, InterruptedException {
        Files.deleteIfExists(png);
        run(
                profile,
                List.of("--window-size=1600,1000", "--hide-scrollbars", "--screenshot=" + png, url),
                () -> isCompletePng(png));
        if (!Files.exists(png) || Files.size(png) == 0) {
            throw new IOException("Chromium saved no screenshot of " + url);
        }
    }

    /** Attempts per page: headless Chromium with a virtual-time budget now and then never exits (seen on an idle machine). */
    private static final int ATTEMPTS = 3;
    /** Seconds when the machine is idle, about a minute on a loaded 2-core one; a hung run never ends. */
    private static final long ATTEMPT_TIMEOUT_S = 100;

    /** The 12 bytes every PNG ends with: the empty {@code IEND} chunk and its CRC. */
    private static final byte[] PNG_END = {0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82};

    /** Whether {@code png} holds a whole PNG: Chromium has written the screenshot, whether it exits or not. */
    private static boolean isCompletePng(Path png) {
        try {
            byte[] bytes = Files.readAllBytes(png);
            return bytes.length > PNG_END.length
                    && Arrays.equals(Arrays.copyOfRange(bytes, bytes.length - PNG_END.length, bytes.length), PNG_END);
        } catch (IOException notYet) {
            return false;
        }
    }

    /**
     * Runs Chromium until it exits, or until {@code done} holds (then it is stopped: a headless Chromium now and then
     * hangs after it has saved its screenshot, which cost a back-pressure test 100 s per picture).
     */
    private static Path run(Path profile, List<String> what, BooleanSupplier done)
            throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException("no " + BINARY + ": install Debian's chromium package (.ci/run does)");
        }
        Files.createDirectories(profile);
        List<String> hung = new ArrayList<>();
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Path out = Files.createTempFile(profile.getParent(), "chromium-", ".out");
            List<String> command = new ArrayList<>(List.of(
                    BINARY.toString(),
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                    "--user-data-dir=" + Files.createTempDirectory(profile, "profile-"),
                    "--virtual-time-budget=" + SETTLE_MS));
            command.addAll(what);
            Process chromium = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ATTEMPT_TIMEOUT_S);
            while (!chromium.waitFor(200, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) {
                if (done.getAsBoolean()) {
                    chromium.descendants().forEach(ProcessHandle::destroyForcibly);
                    chromium.destroyForcibly();
                    return out;
                }
            }
            if (!chromium.isAlive()) {
                return out;
            }
            chromium.descendants().forEach(ProcessHandle::destroyForcibly);
            chromium.destroyForcibly();
            hung.add("attempt " + attempt);
        }
        throw new IOException("Chromium did not finish within " + ATTEMPT_TIMEOUT_S + " s in " + hung + ": " + what);
    }
}
