package dev.marketdata.job.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.job.dlq.DeadLetterFiles;
import dev.marketdata.job.json.Json;
import dev.marketdata.sources.model.Bar;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads back what the job wrote: the bars table as records, the dead-letter files as parsed lines. */
public final class Tables {

    private Tables() {}

    /** Every row of {@code bars}, as bars, ordered by key. */
    public static List<Bar> bars(PostgresTestDatabase db) throws SQLException {
        List<Bar> bars = new ArrayList<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement();
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

    /** Every line of every published dead-letter file under {@code dir}, parsed. */
    public static List<JsonNode> deadLetters(Path dir) {
        List<JsonNode> lines = new ArrayList<>();
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
            return files.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().startsWith(".")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
