package dev.marketdata.sources.provider.live;

import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.provider.ProviderItem;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The bounded buffer between a live source's socket thread and its Flink reader, with the overflow policy, and the
 * order in which the reader takes records: what an earlier connection delivered, then what the gap repair of the
 * current connection fetched, then what the current connection delivered. While a connection's gap is being
 * repaired its records are held ({@link #hold}); the repair inserts its bars in front of them
 * ({@link #insertBeforeHeld}) and {@link #release}s them.
 *
 * <p>Only records from the socket count against the capacity: repaired bars are fetched at the reader's pace.
 * {@link OverflowPolicy#BLOCK} lets the socket thread overfill by the frame in hand and then read no further until
 * {@link #whenRoom} runs its callback; {@link OverflowPolicy#DROP_OLDEST} moves the oldest socket record to the
 * dropped ones, which the reader takes first; {@link OverflowPolicy#FAIL} throws {@link LiveOverflowException}.
 *
 * <p>Thread-safe; callbacks run outside its lock.
 */
final class LiveBuffer {

    /** What an entry is. */
    enum Kind {
        /** A bar from the socket. */
        LIVE,
        /** A bar from REST gap repair. */
        REPAIRED,
        /** Something of a frame or an answer that is not a bar, for the dead-letter queue. */
        REJECTED,
        /** A socket record dropped by {@link OverflowPolicy#DROP_OLDEST}, for the dead-letter queue. */
        OVERFLOW
    }

    /**
     * @param generation the connection that delivered it (from 1 on), or 0 when it came from REST
     */
    record Entry(Kind kind, ProviderItem<Bar> record, long generation) {
        boolean fromSocket() {
            return generation > 0;
        }
    }

    private final int capacity;
    private final OverflowPolicy policy;
    private final Runnable onDrop;
    private final Deque<Entry> queue = new ArrayDeque<>();
    private final Deque<Entry> dropped = new ArrayDeque<>();
    private int socketCount;
    private long heldFrom = Long.MAX_VALUE;
    private Runnable roomListener;
    private CompletableFuture<Void> available = new CompletableFuture<>();

    /** @param onDrop told of every record dropped (a metric) */
    LiveBuffer(int capacity, OverflowPolicy policy, Runnable onDrop) {
        this.capacity = capacity;
        this.policy = policy;
        this.onDrop = onDrop;
    }

    /**
     * Adds a record from the socket.
     *
     * @throws LiveOverflowException when full and the policy is {@link OverflowPolicy#FAIL}
     */
    void offer(Entry entry) {
        boolean drop = false;
        synchronized (this) {
            if (socketCount >= capacity) {
                switch (policy) {
                    case FAIL -> throw new LiveOverflowException(capacity);
                    case DROP_OLDEST -> {
                        dropOldestSocketEntry();
                        drop = true;
                    }
                    case BLOCK -> {
                        // The frame in hand is already read; the caller reads no further until there is room.
                    }
                }
            }
            queue.add(entry);
            socketCount++;
        }
        if (drop) {
            onDrop.run();
        }
        signal();
    }

    private void dropOldestSocketEntry() {
        List<Entry> kept = new ArrayList<>(queue.size());
        boolean done = false;
        for (Entry e : queue) {
            if (!done && e.fromSocket()) {
                dropped.add(new Entry(Kind.OVERFLOW, e.record(), 0));
                socketCount--;
                done = true;
            } else {
                kept.add(e);
            }
        }
        queue.clear();
        queue.addAll(kept);
    }

    /** Whether the socket may deliver more (below capacity). */
    synchronized boolean hasRoom() {
        return socketCount < capacity;
    }

    /** Runs {@code callback} once there is room: at once if there is, else when the reader takes a record. */
    void whenRoom(Runnable callback) {
        synchronized (this) {
            if (socketCount >= capacity) {
                roomListener = callback;
                return;
            }
        }
        callback.run();
    }

    /** Holds back the records of connection {@code generation} (and later ones) until {@link #release}. */
    synchronized void hold(long generation) {
        heldFrom = generation;
    }

    /** Inserts repaired records before the held ones (after everything earlier connections delivered). */
    void insertBeforeHeld(List<Entry> repaired) {
        synchronized (this) {
            List<Entry> all = new ArrayList<>(queue.size() + repaired.size());
            boolean inserted = false;
            for (Entry e : queue) {
                if (!inserted && e.generation() >= heldFrom) {
                    all.addAll(repaired);
                    inserted = true;
                }
                all.add(e);
            }
            if (!inserted) {
                all.addAll(repaired);
            }
            queue.clear();
            queue.addAll(all);
        }
        signal();
    }

    /** Lets the reader take the held records. */
    void release() {
        synchronized (this) {
            heldFrom = Long.MAX_VALUE;
        }
        signal();
    }

    /** Appends records from REST (a provisional window fetched again): later values win. */
    void append(List<Entry> entries) {
        synchronized (this) {
            queue.addAll(entries);
        }
        signal();
    }

    /** The next record for the reader, or null when none may be taken now. */
    Entry poll() {
        Runnable room = null;
        Entry head;
        synchronized (this) {
            if (!dropped.isEmpty()) {
                return dropped.poll();
            }
            head = queue.peek();
            if (head == null || head.generation() >= heldFrom) {
                return null;
            }
            queue.poll();
            if (head.fromSocket()) {
                socketCount--;
                if (roomListener != null && socketCount < capacity) {
                    room = roomListener;
                    roomListener = null;
                }
            }
        }
        if (room != null) {
            room.run();
        }
        return head;
    }

    /** Records waiting (socket and REST, held or not, dropped ones not yet taken). */
    synchronized int size() {
        return queue.size() + dropped.size();
    }

    /** Completes when {@link #poll} may return a record, or on {@link #signal}. */
    synchronized CompletableFuture<Void> available() {
        if (pollable()) {
            return CompletableFuture.completedFuture(null);
        }
        if (available.isDone()) {
            available = new CompletableFuture<>();
        }
        return available;
    }

    private boolean pollable() {
        Entry head = queue.peek();
        return !dropped.isEmpty() || (head != null && head.generation() < heldFrom);
    }

    /** Wakes the reader (a record came, or the stream failed). */
    void signal() {
        CompletableFuture<Void> toComplete;
        synchronized (this) {
            toComplete = available;
        }
        toComplete.complete(null);
    }
}
