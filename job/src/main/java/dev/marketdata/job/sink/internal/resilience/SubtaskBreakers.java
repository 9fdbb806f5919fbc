package dev.marketdata.job.sink.internal.resilience;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.TaskInfo;

/**
 * The circuit breakers of the sink writers running in this JVM, so that a subtask's committer (chained to its
 * writer, on the same task thread) goes through its writer's breaker: one breaker per sink subtask around the
 * database, whichever of the two meets the outage first. Without it a commit that waits out an outage would
 * leave the breaker, and its gauge, closed.
 */
public final class SubtaskBreakers {

    /** One sink subtask's execution attempt. */
    public record Key(JobID job, String table, int subtask, int attempt) {

        public static Key of(JobID job, String table, TaskInfo task) {
            return new Key(job, table, task.getIndexOfThisSubtask(), task.getAttemptNumber());
        }
    }

    private static final Map<Key, Breaker> BREAKERS = new ConcurrentHashMap<>();

    private SubtaskBreakers() {}

    public static void register(Key key, Breaker breaker) {
        BREAKERS.put(key, breaker);
    }

    public static void unregister(Key key, Breaker breaker) {
        BREAKERS.remove(key, breaker);
    }

    /** The writer's breaker, or {@link Breaker#NONE} when the writer is elsewhere (not chained) or gone. */
    public static Breaker find(Key key) {
        return BREAKERS.getOrDefault(key, Breaker.NONE);
    }
}
