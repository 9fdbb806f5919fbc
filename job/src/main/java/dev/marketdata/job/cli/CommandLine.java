package dev.marketdata.job.cli;

import dev.marketdata.job.cli.MarketDataOptions.Flag;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.description.HtmlFormatter;

/** Turns {@code --name value} arguments into a checked {@link Configuration}, and prints {@code --help}. */
public final class CommandLine {

    private CommandLine() {}

    /** Whether the arguments ask for help. */
    public static boolean wantsHelp(String[] args) {
        return List.of(args).contains("--help") || List.of(args).contains("-h");
    }

    /**
     * Parses {@code --name value} and {@code --name=value} pairs (and {@code --name} alone for a boolean option
     * that is off by default), rejecting unknown names and values of the wrong type with a message that names the
     * flag.
     */
    public static Configuration parse(String[] args, List<Flag> flags) {
        Map<String, ConfigOption<?>> known = new LinkedHashMap<>();
        flags.forEach(f -> known.put(f.option().key(), f.option()));
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException(
                        "unexpected argument '" + arg + "': options look like --name value (see --help)");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (!known.containsKey(name)) {
                throw new IllegalArgumentException(unknown(name));
            }
            if (value == null) {
                boolean nextIsValue = i + 1 < args.length && !args[i + 1].startsWith("--");
                if (nextIsValue) {
                    value = args[++i];
                } else if (isSwitch(known.get(name))) {
                    value = "true";
                } else {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
            }
            if (values.put(name, value) != null) {
                throw new IllegalArgumentException("--" + name + " is given twice");
            }
        }
        Configuration conf = Configuration.fromMap(values);
        for (ConfigOption<?> option : known.values()) {
            try {
                conf.get(option);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "--" + option.key() + ": cannot use '" + values.get(option.key()) + "': " + e.getMessage(), e);
            }
        }
        return conf;
    }

    /** A boolean option, which may be given without a value to mean true. */
    static boolean isSwitch(ConfigOption<?> option) {
        return option.hasDefaultValue() && option.defaultValue() instanceof Boolean;
    }

    private static String unknown(String name) {
        if (name.contains("password")) {
            return "--" + name + " is not an option: passwords never go on the command line; use "
                    + "--jdbc-password-file FILE or the environment variable " + JobSettings.PASSWORD_ENV;
        }
        if (name.contains("key") || name.contains("secret") || name.contains("token")) {
            return "--" + name + " is not an option: keys never go on the command line; use --polygon-key-file or "
                    + "--alpaca-key-file FILE, or the environment variables POLYGON_API_KEY, APCA_API_KEY_ID and "
                    + "APCA_API_SECRET_KEY";
        }
        return "unknown option --" + name + " (see --help)";
    }

    /** Usage text: every option with its default and description, by section. */
    public static String help(String usage, List<Flag> flags) {
        StringBuilder out = new StringBuilder("Usage: ").append(usage).append(" [options]\n");
        String section = null;
        for (Flag flag : flags) {
            if (!flag.section().equals(section)) {
                section = flag.section();
                out.append('\n').append(section).append(":\n");
            }
            ConfigOption<?> option = flag.option();
            out.append("  --").append(option.key());
            if (!flag.metavar().isEmpty()) {
                out.append(' ').append(flag.metavar());
            }
            out.append("   (default: ")
                    .append(option.hasDefaultValue() ? show(option.defaultValue()) : "none")
                    .append(")\n");
            out.append("      ").append(plainText(option)).append('\n');
        }
        out.append("\n  --help\n      Print this text.\n");
        return out.toString();
    }

    static String show(Object value) {
        if (value instanceof Duration d) {
            return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
        }
        if (value instanceof Enum<?> e) {
            return e.toString().toLowerCase(Locale.ROOT);
        }
        if (value instanceof Double d && d == Math.rint(d)) {
            return Long.toString(d.longValue());
        }
        return String.valueOf(value);
    }

    private static String plainText(ConfigOption<?> option) {
        return new HtmlFormatter()
                .format(option.description())
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&");
    }
}
