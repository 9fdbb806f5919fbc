package dev.marketdata.job.schema;

import dev.marketdata.job.sink.config.JdbcSettings;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The connections of {@link JdbcSettings} as a {@link DataSource}, for Flyway: the password stays a
 * {@link dev.marketdata.job.sink.config.Secret} (Flyway never holds it), and the driver is called directly, which works
 * under Flink's user-code class loader where {@code DriverManager} may not see it. Connections come in auto-commit
 * mode, as Flyway expects; it opens its own transactions.
 */
final class JdbcSettingsDataSource implements DataSource {

    private final JdbcSettings jdbc;

    JdbcSettingsDataSource(JdbcSettings jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection connection = jdbc.connect();
        connection.setAutoCommit(true);
        return connection;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the login comes from the job's settings");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper of " + type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
