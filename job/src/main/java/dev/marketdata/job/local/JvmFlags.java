package dev.marketdata.job.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;

/**
 * The JVM flags every Flink JVM needs on Java 17 ({@code --add-opens}/{@code --add-exports}), read from the one
 * place the project keeps them: {@code env.java.default-opts.all} in {@code flink-conf/config.yaml}, the key Flink's
 * own launch scripts read. {@code bin/lib/common.sh} reads the same key for the {@code bin/} scripts, and the build
 * reads it for the test JVMs (the parent pom's {@code read-jvm-flags} execution).
 */
public final class JvmFlags {

    /** The project's Flink configuration directory, relative to the repository root. */
    public static final String FLINK_CONF_DIR = "flink-conf";

    private JvmFlags() {}

    /**
     * The flags, in file order.
     *
     * @param flinkConfDir a directory holding Flink's {@code config.yaml}
     * @throws IllegalStateException when the file or the key is missing
     */
    public static List<String> from(Path flinkConfDir) {
        if (!Files.isRegularFile(flinkConfDir.resolve(GlobalConfiguration.FLINK_CONF_FILENAME))) {
            throw new IllegalStateException("no " + GlobalConfiguration.FLINK_CONF_FILENAME + " in " + flinkConfDir);
        }
        Configuration conf = GlobalConfiguration.loadConfiguration(flinkConfDir.toString());
        String flags = conf.getOptional(CoreOptions.FLINK_DEFAULT_JVM_OPTIONS)
                .orElseThrow(() -> new IllegalStateException(
                        "no " + CoreOptions.FLINK_DEFAULT_JVM_OPTIONS.key() + " in " + flinkConfDir));
        return Arrays.stream(flags.strip().split("\\s+")).toList();
    }

    /** The flags from {@code flink-conf/} under the repository root {@code root}. */
    public static List<String> fromRepository(Path root) {
        return from(root.resolve(FLINK_CONF_DIR));
    }
}
