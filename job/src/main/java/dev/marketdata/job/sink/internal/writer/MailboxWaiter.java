package dev.marketdata.job.sink.internal.writer;

import dev.marketdata.job.sink.internal.resilience.SqlRetrier;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.operators.MailboxExecutor;

/**
 * Waits on the task thread without spinning: it sleeps, so an interrupt (task cancellation) ends the wait at once.
 * Asked to, it runs the task's pending mails (checkpoint-complete notifications, hence commits; timers) between
 * short sleeps: a writer waiting for a row lock that its own prepared transaction holds needs that commit to run.
 */
final class MailboxWaiter implements SqlRetrier.Waiter {

    private static final long SLICE_MILLIS = 20;

    private final MailboxExecutor mailbox;

    MailboxWaiter(MailboxExecutor mailbox) {
        this.mailbox = mailbox;
    }

    @Override
    public void await(long nanos, boolean runMailbox) throws InterruptedException {
        if (!runMailbox) {
            TimeUnit.NANOSECONDS.sleep(nanos);
            return;
        }
        long end = System.nanoTime() + nanos;
        long left;
        while ((left = end - System.nanoTime()) > 0) {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting to retry a database operation");
            }
            if (!mailbox.tryYield()) {
                Thread.sleep(Math.max(1, Math.min(SLICE_MILLIS, TimeUnit.NANOSECONDS.toMillis(left))));
            }
        }
    }
}
