package dev.marketdata.job.dlq;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * The dead letters an exactly-once sink writer produces itself (rows its table refused), kept with the
 * transaction they belong to: they are appended to a hidden file named after the transaction,
 * {@code <dlq>/<dataset>/.staged-<gid>.ndjson}, which is complete and durable before the transaction is
 * prepared, and published as {@code dead-letters-write-<gid>.ndjson} only after it commits. A staged file whose
 * transaction never commits is deleted with it on restore. So, like the rows, a dead letter is neither lost nor
 * repeated. Works through Flink's file systems ({@code file://}, {@code s3://}, ...).
 */
public final class StagedDeadLetters implements AutoCloseable {

    static final String STAGED_PREFIX = ".staged-";
    static final String PUBLISHED_PREFIX = DeadLetterFiles.PART_PREFIX + "-write-";

    private final Path folder;
    private String openGid;
    private Path openPath;
    private FSDataOutputStream out;

    public StagedDeadLetters(String dlqDir, String dataset) {
        this.folder = new Path(new Path(dlqDir), dataset);
    }

    /** Appends {@code letters} to the staged file of transaction {@code gid}, creating it on the first. */
    public void add(String gid, List<DeadLetter> letters) throws IOException {
        if (letters.isEmpty()) {
            return;
        }
        if (out == null || !gid.equals(openGid)) {
            closeQuietly();
            openPath = stagedPath(gid);
            FileSystem fs = openPath.getFileSystem();
            fs.mkdirs(folder);
            out = fs.create(openPath, FileSystem.WriteMode.OVERWRITE);
            openGid = gid;
        }
        for (DeadLetter letter : letters) {
            out.write(DeadLetterEncoder.toLine(letter));
        }
    }

    /**
     * Makes the staged file of {@code gid} complete and durable, before the transaction is prepared.
     *
     * @return its URI, for the committable, or null when the transaction has no dead letters
     */
    public String seal(String gid) throws IOException {
        if (out == null || !gid.equals(openGid)) {
            return null;
        }
        out.flush();
        out.sync();
        out.close();
        out = null;
        openGid = null;
        return openPath.toUri().toString();
    }

    /**
     * Publishes a staged file once its transaction committed: renames it to its visible name. Idempotent: when
     * the staged file is gone and the published one exists, it was published before (and this is a replay).
     *
     * @return false when neither file exists
     */
    public static boolean publish(String stagedUri) throws IOException {
        Path staged = new Path(stagedUri);
        Path published = publishedPath(staged);
        FileSystem fs = staged.getFileSystem();
        if (fs.exists(staged)) {
            if (!fs.rename(staged, published)) {
                throw new IOException("Cannot rename " + staged + " to " + published);
            }
            return true;
        }
        return fs.exists(published);
    }

    /** The transaction ids of the staged files in a data set's folder whose names start with {@code gidPrefix}. */
    public static List<String> stagedGids(String dlqDir, String dataset, String gidPrefix) throws IOException {
        Path folder = new Path(new Path(dlqDir), dataset);
        FileSystem fs = folder.getFileSystem();
        List<String> gids = new ArrayList<>();
        if (!fs.exists(folder)) {
            return gids;
        }
        Pattern pattern = Pattern.compile(Pattern.quote(STAGED_PREFIX + stem(gidPrefix)) + "(\\d+)~(\\d+)\\.ndjson");
        FileStatus[] files = fs.listStatus(folder);
        for (FileStatus file : files == null ? new FileStatus[0] : files) {
            Matcher m = pattern.matcher(file.getPath().getName());
            if (m.matches()) {
                gids.add(gidPrefix + m.group(1) + ":" + m.group(2));
            }
        }
        return gids;
    }

    /** Deletes the staged file of a transaction that will never commit. */
    public static void discard(String dlqDir, String dataset, String gid) throws IOException {
        Path staged = new StagedDeadLetters(dlqDir, dataset).stagedPath(gid);
        staged.getFileSystem().delete(staged, false);
    }

    Path stagedPath(String gid) {
        return new Path(folder, STAGED_PREFIX + stem(gid) + DeadLetterFiles.PART_SUFFIX);
    }

    static Path publishedPath(Path staged) {
        String name = staged.getName();
        if (!name.startsWith(STAGED_PREFIX)) {
            throw new IllegalArgumentException("not a staged dead-letter file: " + staged);
        }
        return new Path(staged.getParent(), PUBLISHED_PREFIX + name.substring(STAGED_PREFIX.length()));
    }

    /**
     * A gid as part of a file name: ':' is not welcome in every file system, and '~' cannot occur in a gid
     * otherwise (see {@link dev.marketdata.job.sink.twophase.TransactionIds}), so the mapping stays one-to-one.
     */
    private static String stem(String gid) {
        return gid.replace(':', '~');
    }

    private void closeQuietly() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // An abandoned staged file is deleted on restore; a failed close changes nothing.
            }
            out = null;
            openGid = null;
        }
    }

    /** Closes an open staged file without publishing it (the task is going down). */
    @Override
    public void close() {
        closeQuietly();
    }
}
