package dev.marketdata.job.sink.twophase;

import static org.apache.flink.util.Preconditions.checkArgument;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Names of the prepared transactions of one sink: {@code mds:<namespace>:<subtask>:<checkpoint>}, where the
 * namespace is the job's transaction prefix, the database and the table, so that every prepared transaction
 * says which job, table, writer subtask and checkpoint it belongs to, and a restored writer can find its own
 * orphans. The database is part of it because PostgreSQL's transaction ids are unique per server, not per
 * database: two jobs of the same name writing to two databases of one server must not collide.
 *
 * <p>The checkpoint number is the one the writer expects next (last snapshotted + 1): a transaction that
 * belongs to checkpoint {@code r} is named {@code <= r}, one prepared after it {@code > r}.
 */
public record TransactionIds(String namespace) implements Serializable {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_.\\-]+");
    static final int MAX_GID_LENGTH = 200; // PostgreSQL's limit

    public TransactionIds {
        checkArgument(SAFE.matcher(namespace.replace(':', '_')).matches(), "unsafe namespace %s", namespace);
    }

    /** The namespace of a job's sink for a table; characters PostgreSQL gids and SQL literals dislike become '_'. */
    public static TransactionIds of(String prefix, String database, String table) {
        return new TransactionIds(sanitize(prefix) + ":" + sanitize(database) + ":" + sanitize(table));
    }

    /**
     * Start of every gid a job named {@code prefix} prepares in {@code database}, whatever the table: what a start
     * looks for to find the job's leftovers.
     */
    public static String jobPrefix(String prefix, String database) {
        return "mds:" + sanitize(prefix) + ":" + sanitize(database) + ":";
    }

    static String sanitize(String text) {
        return text.replaceAll("[^A-Za-z0-9_.\\-]", "_");
    }

    /** Start of every gid in this namespace. */
    public String gidPrefix() {
        return "mds:" + namespace + ":";
    }

    /** Start of every gid of this job in this database, whatever the table: {@link #jobPrefix} of this namespace. */
    public String jobGidPrefix() {
        return "mds:" + namespace.substring(0, namespace.lastIndexOf(':') + 1);
    }

    public String gid(int subtask, long checkpoint) {
        String gid = gidPrefix() + subtask + ":" + checkpoint;
        checkArgument(gid.length() <= MAX_GID_LENGTH, "transaction id too long: %s", gid);
        return gid;
    }

    /** The writer subtask a gid of this namespace was prepared by, or -1 if it is not one of ours. */
    public int subtaskOf(String gid) {
        long[] parts = parse(gid);
        return parts == null ? -1 : (int) parts[0];
    }

    /** The checkpoint number in a gid of this namespace, or -1 if it is not one of ours. */
    public long checkpointOf(String gid) {
        long[] parts = parse(gid);
        return parts == null ? -1 : parts[1];
    }

    private long[] parse(String gid) {
        if (!gid.startsWith(gidPrefix())) {
            return null;
        }
        String[] rest = gid.substring(gidPrefix().length()).split(":");
        if (rest.length != 2) {
            return null;
        }
        try {
            return new long[] {Integer.parseInt(rest[0]), Long.parseLong(rest[1])};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Checks a gid before it is put in a SQL literal ({@code COMMIT PREPARED} takes no bind parameters). */
    static String literal(String gid) {
        checkArgument(SAFE.matcher(gid.replace(':', '_')).matches(), "unsafe transaction id %s", gid);
        return "'" + gid + "'";
    }

    /** The writer's state: the namespace it prepared transactions under, so a renamed job still finds them. */
    public static final class Serializer implements SimpleVersionedSerializer<TransactionIds> {

        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(TransactionIds ids) {
            return ids.namespace().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public TransactionIds deserialize(int version, byte[] serialized) throws IOException {
            if (version != 1) {
                throw new IOException("Unknown TransactionIds serializer version " + version);
            }
            return new TransactionIds(new String(serialized, StandardCharsets.UTF_8));
        }
    }
}
