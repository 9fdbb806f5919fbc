package dev.marketdata.job.sink;

import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.operators.MailboxExecutor;

/**
 * Waits on the task thread without spinning and without starving the task's mailbox: it runs pending mails
 * (checkpoint-complete notifications, hence commits; timers) and otherwise sleeps in short slices, so an
 * interrupt (task cancellation) ends the wait at once.
 */
final class MailboxWaiter implements SqlRetrier.Waiter {

    private static final long SLICE_MILLIS = 20;

    private final MailboxExecutor mailbox;

    MailboxWaiter(MailboxExecutor mailbox) {
        this.mailbox = mailbox;
    }

    @Override
    public void await(long nanos) throws InterruptedException {
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
