package dev.marketdata.job.replay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.job.dataset.Dataset;
import dev.marketdata.job.dlq.DeadLetter;
import dev.marketdata.job.dlq.DeadLetterEncoder;
import dev.marketdata.job.dlq.DeadLetterFiles;
import dev.marketdata.job.json.Json;
import dev.marketdata.job.json.JsonFieldException;
import dev.marketdata.job.parse.ParseRecords;
import dev.marketdata.job.sink.config.JdbcSettings;
import dev.marketdata.job.sink.table.PgBatchWriter;
import dev.marketdata.job.sink.table.RowKey;
import dev.marketdata.job.validate.Violation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Sends dead letters back through validation and the sink, once their cause is fixed.
 *
 * <p>It reads the published files of each data set's folder ({@code *.ndjson}, not the hidden in-progress
 * ones), optionally only the letters of one reason. Each letter's {@code record} is parsed with the data set's
 * wire format, validated, and written with the sink's own {@link PgBatchWriter} (an idempotent upsert, refused
 * rows isolated), one transaction per file. Then, per letter:
 *
 * <ul>
 *   <li>written: the line is marked replayed;
 *   <li>refused again for another reason (or at another stage): a new letter with the new reason goes to a new
 *       file, {@code dead-letters-replay-<file>-<hash>.ndjson}, and the line is marked replayed;
 *   <li>refused again for the same reason: nothing changed, the line stays as it is, for a later replay.
 * </ul>
 *
 * <p>Marks are kept next to the file, in {@code <file>.replayed} (the replayed line numbers), so files stay as
 * the job wrote them, and a second replay writes nothing twice. The order is: rows committed, new letters
 * written, marks written, each file atomically; a replay that dies in between and is run again rewrites the
 * same rows (the upsert leaves them as they are) and the same new-letter file (its name depends only on the
 * lines replayed), so nothing is repeated even then.
 */
public final class DeadLetterReplay {

    static final String MARK_SUFFIX = ".replayed";
    static final String REPLAY_PREFIX = DeadLetterFiles.PART_PREFIX + "-replay-";
    private static final int CHUNK_ROWS = 5000;

    private final Path dlqDir;
    private final String reason;
    private final LongSupplier clock;

    /**
     * @param dlqDir the dead-letter directory as a file-system URI
     * @param reason replay only letters with this reason; null for all
     */
    public DeadLetterReplay(String dlqDir, String reason, LongSupplier clock) {
        this.dlqDir = new Path(dlqDir);
        this.reason = reason;
        this.clock = clock;
    }

    /** Counts what {@link #replay} would replay, by data set and reason, and changes nothing. */
    public Report dryRun() throws IOException {
        Report report = new Report(true);
        for (DeadLetterFile file : files(report)) {
            for (Letter letter : file.pending(reason, report)) {
                report.row(file.dataset().name(), letter.reason()).selected++;
            }
        }
        return report;
    }

    /** Replays the letters into the database behind {@code jdbc}. */
    public Report replay(JdbcSettings jdbc) throws IOException, SQLException {
        Report report = new Report(false);
        List<DeadLetterFile> files = files(report); // listed first: new-letter files of this run are not replayed
        try (Connection connection = jdbc.connect()) {
            for (DeadLetterFile file : files) {
                replay(file, file.dataset(), connection, report);
            }
        }
        return report;
    }

    private <T> void replay(DeadLetterFile file, Dataset<T> dataset, Connection connection, Report report)
            throws IOException, SQLException {
        List<Letter> pending = file.pending(reason, report);
        if (pending.isEmpty()) {
            return;
        }
        Map<Integer, Failure> failures = new TreeMap<>();
        List<Item<T>> valid = new ArrayList<>();
        for (Letter letter : pending) {
            report.row(dataset.name(), letter.reason()).selected++;
            T record;
            try {
                record = dataset.json().read(letter.record());
            } catch (JsonFieldException e) {
                failures.put(letter.line(), new Failure(DeadLetter.Stage.PARSE, "MALFORMED_RECORD", e.getMessage()));
                continue;
            } catch (RuntimeException e) {
                failures.put(
                        letter.line(),
                        new Failure(DeadLetter.Stage.PARSE, DeadLetter.INTERNAL_ERROR, ParseRecords.internalError(e)));
                continue;
            }
            Violation violation;
            try {
                violation = dataset.validator().check(record);
            } catch (RuntimeException e) {
                violation = new Violation(DeadLetter.INTERNAL_ERROR, ParseRecords.internalError(e));
            }
            if (violation != null) {
                failures.put(
                        letter.line(), new Failure(DeadLetter.Stage.VALIDATE, violation.reason(), violation.message()));
            } else {
                // Stored as the job stores it: key identifiers in their canonical spelling (docs/identifiers.md),
                // times at the stored precision.
                valid.add(new Item<>(
                        letter, dataset.table().stored(dataset.validator().canonical(record))));
            }
        }

        // In file order; a key met twice starts a new batch, so a later letter of a key overwrites an earlier one.
        Set<Integer> settled = new TreeSet<>();
        PgBatchWriter<T> writer = new PgBatchWriter<>(dataset.table());
        List<Item<T>> batch = new ArrayList<>();
        Set<RowKey> keys = new HashSet<>();
        for (int i = 0; i <= valid.size(); i++) {
            Item<T> item = i < valid.size() ? valid.get(i) : null;
            RowKey key = item == null ? null : dataset.table().key(item.record());
            if (!batch.isEmpty() && (item == null || keys.contains(key) || batch.size() >= CHUNK_ROWS)) {
                write(writer, connection, batch, failures);
                batch.clear();
                keys.clear();
            }
            if (item != null) {
                batch.add(item);
                keys.add(key);
            }
        }
        connection.commit();
        for (Item<T> item : valid) {
            if (!failures.containsKey(item.letter().line())) {
                settled.add(item.letter().line());
                report.row(dataset.name(), item.letter().reason()).written++;
            }
        }

        long now = clock.getAsLong();
        List<DeadLetter> newLetters = new ArrayList<>();
        for (Letter letter : pending) {
            Failure failure = failures.get(letter.line());
            if (failure == null) {
                continue;
            }
            Report.Row row = report.row(dataset.name(), letter.reason());
            if (failure.stage().label().equals(letter.stage())
                    && failure.reason().equals(letter.reason())) {
                row.stillFailing++;
                continue;
            }
            row.failedAgain++;
            report.newReasons.merge(failure.reason(), 1, Integer::sum);
            settled.add(letter.line());
            newLetters.add(DeadLetter.ofRecord(
                    dataset.name(),
                    failure.stage(),
                    failure.reason(),
                    failure.message(),
                    Json.escapeUnpairedSurrogates(letter.record().toString()),
                    letter.origin(),
                    now));
        }
        if (!newLetters.isEmpty()) {
            Path target = new Path(
                    file.path().getParent(),
                    REPLAY_PREFIX + stem(file.path()) + "-" + linesHash(file.path(), pending)
                            + DeadLetterFiles.PART_SUFFIX);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (DeadLetter letter : newLetters) {
                bytes.write(DeadLetterEncoder.toLine(letter));
            }
            writeAtomically(target, bytes.toByteArray());
            report.newFiles.add(target.getName());
        }
        if (!settled.isEmpty()) {
            settled.addAll(file.marked());
            StringBuilder marks = new StringBuilder();
            settled.forEach(line -> marks.append(line).append('\n'));
            writeAtomically(markPath(file.path()), marks.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static <T> void write(
            PgBatchWriter<T> writer, Connection connection, List<Item<T>> batch, Map<Integer, Failure> failures)
            throws SQLException {
        Map<T, Item<T>> byRecord = new IdentityHashMap<>();
        batch.forEach(item -> byRecord.put(item.record(), item));
        PgBatchWriter.Result<T> result =
                writer.write(connection, batch.stream().map(Item::record).toList());
        for (PgBatchWriter.Rejected<T> rejected : result.rejected()) {
            failures.put(
                    byRecord.get(rejected.row()).letter().line(),
                    new Failure(DeadLetter.Stage.WRITE, rejected.sqlState(), rejected.message()));
        }
    }

    /** The published dead-letter files, in name order, of each data set's folder. */
    private List<DeadLetterFile> files(Report report) throws IOException {
        FileSystem fs = dlqDir.getFileSystem();
        if (!fs.exists(dlqDir)) {
            throw new IOException("No dead-letter directory at " + dlqDir);
        }
        List<DeadLetterFile> files = new ArrayList<>();
        for (FileStatus folder : sorted(fs.listStatus(dlqDir))) {
            if (!folder.isDir() || folder.getPath().getName().startsWith(".")) {
                continue;
            }
            Dataset<?> dataset = Dataset.named(folder.getPath().getName()).orElse(null);
            if (dataset == null) {
                report.skippedFolders.add(folder.getPath().getName());
                continue;
            }
            for (FileStatus file : sorted(fs.listStatus(folder.getPath()))) {
                String name = file.getPath().getName();
                if (!file.isDir() && name.endsWith(DeadLetterFiles.PART_SUFFIX) && !name.startsWith(".")) {
                    files.add(new DeadLetterFile(dataset, file.getPath()));
                }
            }
        }
        return files;
    }

    private static List<FileStatus> sorted(FileStatus[] statuses) {
        List<FileStatus> list = new ArrayList<>(Arrays.asList(statuses == null ? new FileStatus[0] : statuses));
        list.sort((a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
        return list;
    }

    static Path markPath(Path file) {
        return new Path(file.getParent(), file.getName() + MARK_SUFFIX);
    }

    /** {@code dead-letters-write-x.ndjson} -> {@code write-x}: what tells the file apart. */
    private static String stem(Path file) {
        String name = file.getName();
        name = name.substring(0, name.length() - DeadLetterFiles.PART_SUFFIX.length());
        String prefix = DeadLetterFiles.PART_PREFIX + "-";
        return name.startsWith(prefix) ? name.substring(prefix.length()) : name;
    }

    /** Names the new-letter file after the lines it came from, so a repeated replay rewrites the same file. */
    private static String linesHash(Path file, List<Letter> pending) {
        StringBuilder identity = new StringBuilder(file.getName());
        pending.forEach(letter -> identity.append(',').append(letter.line()));
        return UUID.nameUUIDFromBytes(identity.toString().getBytes(StandardCharsets.UTF_8))
                .toString()
                .substring(0, 8);
    }

    private static void writeAtomically(Path target, byte[] content) throws IOException {
        FileSystem fs = target.getFileSystem();
        Path hidden = new Path(target.getParent(), "." + target.getName() + ".tmp");
        try (FSDataOutputStream out = fs.create(hidden, FileSystem.WriteMode.OVERWRITE)) {
            out.write(content);
            out.flush();
            out.sync();
        }
        if (!fs.rename(hidden, target)) {
            throw new IOException("Cannot rename " + hidden + " to " + target);
        }
    }

    private static String read(Path path) throws IOException {
        try (InputStream in = path.getFileSystem().open(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** One published dead-letter file of a data set. */
    private record DeadLetterFile(Dataset<?> dataset, Path path) {

        Set<Integer> marked() throws IOException {
            Set<Integer> lines = new TreeSet<>();
            Path mark = markPath(path);
            if (mark.getFileSystem().exists(mark)) {
                read(mark).lines().filter(l -> !l.isBlank()).forEach(l -> lines.add(Integer.parseInt(l.strip())));
            }
            return lines;
        }

        /** The letters not yet replayed, with a record, of the reason asked for (all when null). */
        List<Letter> pending(String reason, Report report) throws IOException {
            Set<Integer> marked = marked();
            List<Letter> letters = new ArrayList<>();
            String[] lines = read(path).split("\n");
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].isBlank()) {
                    continue;
                }
                int number = i + 1;
                JsonNode node = Json.MAPPER.readTree(lines[i]);
                String letterReason = node.path("reason").asText();
                if (reason != null && !reason.equals(letterReason)) {
                    continue;
                }
                if (marked.contains(number)) {
                    report.alreadyReplayed++;
                    continue;
                }
                JsonNode record = node.get("record");
                if (record == null || !record.isObject()) {
                    report.withoutRecord++;
                    continue;
                }
                letters.add(new Letter(
                        number,
                        node.path("stage").asText(),
                        letterReason,
                        record,
                        node.hasNonNull("origin") ? node.get("origin").asText() : null));
            }
            return letters;
        }
    }

    /** One line of a dead-letter file. */
    private record Letter(int line, String stage, String reason, JsonNode record, String origin) {}

    private record Item<T>(Letter letter, T record) {}

    private record Failure(DeadLetter.Stage stage, String reason, String message) {}

    /** What a replay did, or a dry run would do, by data set and reason. */
    public static final class Report {

        /** The letters of one data set and reason. */
        public static final class Row {
            public int selected;
            public int written;
            public int failedAgain;
            public int stillFailing;

            @Override
            public boolean equals(Object o) {
                return o instanceof Row r
                        && r.selected == selected
                        && r.written == written
                        && r.failedAgain == failedAgain
                        && r.stillFailing == stillFailing;
            }

            @Override
            public int hashCode() {
                return Objects.hash(selected, written, failedAgain, stillFailing);
            }
        }

        public final boolean dryRun;
        public final Map<String, Row> rows = new TreeMap<>();
        public final Map<String, Integer> newReasons = new TreeMap<>();
        public final List<String> newFiles = new ArrayList<>();
        public final List<String> skippedFolders = new ArrayList<>();
        public int alreadyReplayed;
        public int withoutRecord;

        Report(boolean dryRun) {
            this.dryRun = dryRun;
        }

        Row row(String dataset, String reason) {
            return rows.computeIfAbsent(dataset + " " + reason, k -> new Row());
        }

        public int selected() {
            return rows.values().stream().mapToInt(r -> r.selected).sum();
        }

        /**
         * The report as the command prints it: a table whose first two columns are 10 and 24 characters wide, or
         * as wide as the longest data set and reason in it (`fundamentals`, 12), so the counts stay aligned.
         */
        public String format() {
            StringBuilder out = new StringBuilder();
            int datasetWidth = Math.max(
                    10,
                    rows.keySet().stream().mapToInt(k -> k.indexOf(' ')).max().orElse(0));
            int reasonWidth = Math.max(
                    24,
                    rows.keySet().stream()
                            .mapToInt(k -> k.length() - k.indexOf(' ') - 1)
                            .max()
                            .orElse(0));
            String names = "%-" + datasetWidth + "s %-" + reasonWidth + "s ";
            if (dryRun) {
                out.append(String.format(names + "%10s%n", "dataset", "reason", "to replay"));
                rows.forEach((key, row) -> out.append(String.format(
                        names + "%10d%n",
                        key.substring(0, key.indexOf(' ')),
                        key.substring(key.indexOf(' ') + 1),
                        row.selected)));
            } else {
                out.append(String.format(
                        names + "%9s %9s %13s %14s%n",
                        "dataset",
                        "reason",
                        "replayed",
                        "written",
                        "failed again",
                        "still failing"));
                rows.forEach((key, row) -> out.append(String.format(
                        names + "%9d %9d %13d %14d%n",
                        key.substring(0, key.indexOf(' ')),
                        key.substring(key.indexOf(' ') + 1),
                        row.selected,
                        row.written,
                        row.failedAgain,
                        row.stillFailing)));
            }
            out.append(String.format("%d dead letter(s) %s", selected(), dryRun ? "would be replayed" : "replayed"));
            if (alreadyReplayed > 0) {
                out.append(String.format("; %d replayed before, skipped", alreadyReplayed));
            }
            if (withoutRecord > 0) {
                out.append(String.format("; %d without a record (raw payloads), skipped", withoutRecord));
            }
            out.append('\n');
            if (!newReasons.isEmpty()) {
                out.append("failed again, with new reasons ")
                        .append(newReasons)
                        .append(", in ")
                        .append(String.join(", ", newFiles))
                        .append('\n');
            }
            skippedFolders.forEach(f -> out.append("skipped folder ").append(f).append(": no such data set\n"));
            return out.toString();
        }
    }
}
