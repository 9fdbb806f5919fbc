package dev.marketdata.job.core;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The error for a file an option names (a password, a provider key, tickers, Kafka client properties) that cannot
 * be read. It is a bad option, found before anything starts, so it is an {@link IllegalArgumentException}: every
 * command reports those in one line ({@code error: ...}) with exit status 2, where an unchecked I/O error showed
 * as {@code Job failed: java.nio.file.NoSuchFileException: ...} (exit 1) or as a stack trace.
 */
public final class OptionFiles {

    private OptionFiles() {}

    /**
     * {@code cannot read --FLAG PATH: WHY}, with the cause attached. Names the option, the path and the reason,
     * never the file's content.
     *
     * @param flag the option with its dashes, e.g. {@code --jdbc-password-file}
     */
    public static IllegalArgumentException unreadable(String flag, Path file, IOException cause) {
        return new IllegalArgumentException("cannot read " + flag + " " + file + ": " + why(cause), cause);
    }

    private static String why(IOException cause) {
        if (cause instanceof NoSuchFileException) {
            return "no such file";
        }
        if (cause instanceof AccessDeniedException) {
            return "permission denied";
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")");
    }
}
