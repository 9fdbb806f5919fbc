package dev.marketdata.job.sink.config;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Where the database is and how to log in. The password is a {@link Secret}: it travels inside the serialized
 * sink, and is never part of the Flink configuration, the job parameters, or a log line.
 *
 * @param url a {@code jdbc:postgresql:} URL
 * @param user the role, or null to take it from the URL
 * @param password the password, or null for none (trust, or a password in ~/.pgpass)
 */
public record JdbcSettings(String url, String user, Secret password) implements Serializable {

    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)(password=)[^&]*");

    public JdbcSettings {
        checkNotNull(url, "a JDBC URL is required");
        checkArgument(url.startsWith("jdbc:postgresql:"), "not a PostgreSQL JDBC URL: %s", redact(url));
    }

    /** Opens a connection with auto-commit off. */
    public Connection connect() throws SQLException {
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password.reveal());
        }
        props.setProperty("ApplicationName", "market-data-store");
        // The driver is called directly: DriverManager may not see a driver loaded by Flink's user class loader.
        Connection connection = new org.postgresql.Driver().connect(url, props);
        if (connection == null) {
            throw new SQLException("The PostgreSQL driver does not accept " + redactedUrl());
        }
        connection.setAutoCommit(false);
        return connection;
    }

    /** The URL with any {@code password=} parameter masked: the only form of it that may be shown. */
    public String redactedUrl() {
        return redact(url);
    }

    public static String redact(String url) {
        return url == null ? null : PASSWORD_PARAM.matcher(url).replaceAll("$1***");
    }

    @Override
    public String toString() {
        return "JdbcSettings{url=" + redactedUrl() + ", user=" + user + ", password=" + password + "}";
    }
}
