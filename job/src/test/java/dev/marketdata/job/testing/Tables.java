package dev.marketdata.job.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.job.dlq.DeadLetterFiles;
import dev.marketdata.job.json.Json;
import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.model.Fundamentals;
import dev.marketdata.sources.model.NewsArticle;
import dev.marketdata.sources.model.OptionQuote;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads back what the job wrote: each data set's table as records, the dead-letter files as parsed lines. */
public final class Tables {

    private Tables() {}

    /** Every row of {@code bars}, as bars, ordered by key. */
    public static List<Bar> bars(PostgresTestDatabase db) throws SQLException {
        try (Connection c = db.connect()) {
            return bars(c);
        }
    }

    /** As {@link #bars(PostgresTestDatabase)}, on {@code c} (its open transaction included). */
    public static List<Bar> bars(Connection c) throws SQLException {
        List<Bar> bars = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT symbol, timeframe, ts, open, high, low, close, volume, vwap, "
                        + "trades, provider FROM bars ORDER BY symbol, timeframe, ts")) {
            while (rs.next()) {
                bars.add(new Bar(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getObject(3, OffsetDateTime.class).toInstant(),
                        rs.getDouble(4),
                        rs.getDouble(5),
                        rs.getDouble(6),
                        rs.getDouble(7),
                        rs.getDouble(8),
                        rs.getObject(9, Double.class),
                        rs.getObject(10, Long.class),
                        rs.getString(11)));
            }
        }
        return bars;
    }

    /** Every row of {@code option_quotes}, as quotes, ordered by key. */
    public static List<OptionQuote> optionQuotes(PostgresTestDatabase db) throws SQLException {
        try (Connection c = db.connect()) {
            return optionQuotes(c);
        }
    }

    /** As {@link #optionQuotes(PostgresTestDatabase)}, on {@code c} (its open transaction included). */
    public static List<OptionQuote> optionQuotes(Connection c) throws SQLException {
        List<OptionQuote> quotes = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT contract, underlying, expiration, strike, option_right, bid, ask, "
                                + "last, bid_size, ask_size, volume, open_interest, implied_volatility, delta, gamma, theta, "
                                + "vega, rho, ts, provider FROM option_quotes ORDER BY contract, ts")) {
            while (rs.next()) {
                quotes.add(new OptionQuote(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getObject(3, LocalDate.class),
                        rs.getDouble(4),
                        rs.getString(5),
                        rs.getDouble(6),
                        rs.getDouble(7),
                        rs.getObject(8, Double.class),
                        rs.getObject(9, Long.class),
                        rs.getObject(10, Long.class),
                        rs.getObject(11, Long.class),
                        rs.getObject(12, Long.class),
                        rs.getObject(13, Double.class),
                        rs.getObject(14, Double.class),
                        rs.getObject(15, Double.class),
                        rs.getObject(16, Double.class),
                        rs.getObject(17, Double.class),
                        rs.getObject(18, Double.class),
                        rs.getObject(19, OffsetDateTime.class).toInstant(),
                        rs.getString(20)));
            }
        }
        return quotes;
    }

    /** Every row of {@code fundamentals}, as records, ordered by key. */
    public static List<Fundamentals> fundamentals(PostgresTestDatabase db) throws SQLException {
        try (Connection c = db.connect()) {
            return fundamentals(c);
        }
    }

    /** As {@link #fundamentals(PostgresTestDatabase)}, on {@code c} (its open transaction included). */
    public static List<Fundamentals> fundamentals(Connection c) throws SQLException {
        List<Fundamentals> reports = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT symbol, fiscal_year, fiscal_period, period_start, period_end, "
                        + "filing_date, revenue, gross_profit, operating_income, net_income, eps_basic, eps_diluted, "
                        + "total_assets, total_liabilities, shareholders_equity, operating_cash_flow, currency, "
                        + "provider FROM fundamentals ORDER BY symbol, fiscal_period, period_end")) {
            while (rs.next()) {
                reports.add(new Fundamentals(
                        rs.getString(1),
                        rs.getInt(2),
                        rs.getString(3),
                        rs.getObject(4, LocalDate.class),
                        rs.getObject(5, LocalDate.class),
                        rs.getObject(6, LocalDate.class),
                        rs.getObject(7, Double.class),
                        rs.getObject(8, Double.class),
                        rs.getObject(9, Double.class),
                        rs.getObject(10, Double.class),
                        rs.getObject(11, Double.class),
                        rs.getObject(12, Double.class),
                        rs.getObject(13, Double.class),
                        rs.getObject(14, Double.class),
                        rs.getObject(15, Double.class),
                        rs.getObject(16, Double.class),
                        rs.getString(17),
                        rs.getString(18)));
            }
        }
        return reports;
    }

    /** Every row of {@code news}, as articles, ordered by key. */
    public static List<NewsArticle> news(PostgresTestDatabase db) throws SQLException {
        try (Connection c = db.connect()) {
            return news(c);
        }
    }

    /** As {@link #news(PostgresTestDatabase)}, on {@code c} (its open transaction included). */
    public static List<NewsArticle> news(Connection c) throws SQLException {
        List<NewsArticle> articles = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, published_at, headline, summary, author, url, symbols, "
                        + "source, sentiment, provider FROM news ORDER BY provider, id")) {
            while (rs.next()) {
                articles.add(new NewsArticle(
                        rs.getString(1),
                        rs.getObject(2, OffsetDateTime.class).toInstant(),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        List.of((String[]) rs.getArray(7).getArray()),
                        rs.getString(8),
                        rs.getObject(9, Double.class),
                        rs.getString(10)));
            }
        }
        return articles;
    }

    /** Every line of every published dead-letter file under {@code dir}, parsed. */
    public static List<JsonNode> deadLetters(Path dir) {
        List<JsonNode> lines = new ArrayList<>();
        if (!Files.exists(dir)) {
            return lines;
        }
        for (Path file : deadLetterFiles(dir)) {
            try {
                for (String line : Files.readAllLines(file)) {
                    lines.add(Json.MAPPER.readTree(line));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return lines;
    }

    /** Published dead-letter files (in-progress ones are dot-prefixed, replay marks end in .replayed). */
    public static List<Path> deadLetterFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().startsWith(DeadLetterFiles.PART_PREFIX))
                    .filter(p -> p.getFileName().toString().endsWith(DeadLetterFiles.PART_SUFFIX))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Files a sink left in progress (hidden): none should remain after a job finishes. */
    public static List<Path> inProgressFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().startsWith("."))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
