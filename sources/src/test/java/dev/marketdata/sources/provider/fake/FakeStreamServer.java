package dev.marketdata.sources.provider.fake;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * A local WebSocket server standing in for a provider's stream in tests (Java-WebSocket, on a free loopback
 * port). Records every connection: the text frames it received, whether it got through the provider's handshake
 * (subscribed), and how it ended (a close frame from the client, or not). A provider's fake
 * ({@link FakePolygonStream}, {@link FakeAlpacaStream}, {@link FakeIbkrStream}) speaks the handshake in
 * {@link #onText}; the test scripts the rest: frames to send on the current connection, a drop without a close
 * frame, a clean close, silence. Pings are answered (by the library), so a silent socket still looks alive.
 */
public abstract class FakeStreamServer implements AutoCloseable {

    /** One client connection, in the order they came. */
    public final class Connection {
        private final int index;
        private final WebSocket socket;
        private final List<String> received = new CopyOnWriteArrayList<>();
        private volatile boolean subscribed;
        private volatile boolean closed;
        private volatile boolean closedByClient;
        private volatile int closeCode;

        Connection(int index, WebSocket socket) {
            this.index = index;
            this.socket = socket;
        }

        public int index() {
            return index;
        }

        /** Text frames the client sent, in order. */
        public List<String> received() {
            return List.copyOf(received);
        }

        public boolean subscribed() {
            return subscribed;
        }

        public void markSubscribed() {
            subscribed = true;
        }

        public boolean isClosed() {
            return closed;
        }

        /** Whether the client ended the connection with a close frame of code 1000. */
        public boolean closedCleanlyByClient() {
            return closed && closedByClient && closeCode == 1000;
        }

        public void send(String frame) {
            socket.send(frame);
        }

        /** Ends the TCP connection without a close frame (a network drop). */
        public void drop() {
            // The channel itself: the library's closeConnection alone left the TCP connection open now and then.
            try {
                java.nio.channels.ByteChannel channel = ((WebSocketImpl) socket).getChannel();
                if (channel instanceof java.nio.channels.SocketChannel tcp) {
                    tcp.socket().setSoLinger(true, 0); // a reset, as a cut network shows it
                }
                channel.close();
            } catch (IOException | RuntimeException alreadyClosed) {
                // Closed already.
            }
            socket.closeConnection(1006, "dropped by the test");
        }

        /** Ends the connection with a close frame. */
        public void close(int code, String reason) {
            socket.close(code, reason);
        }
    }

    private final Server server;
    private final String path;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();

    protected FakeStreamServer(String path) {
        this.path = path;
        server = new Server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        server.setConnectionLostTimeout(0);
        server.setReuseAddr(true);
        server.setDaemon(true);
        server.start();
        waitFor(Duration.ofSeconds(10), () -> server.getPort() > 0 && server.started, "the fake stream to start");
    }

    /** {@code ws://127.0.0.1:PORT/path}: the URL to configure. */
    public String url() {
        return "ws://127.0.0.1:" + server.getPort() + path;
    }

    public List<Connection> connections() {
        return List.copyOf(connections);
    }

    /** The {@code index}-th connection (from 0), once it has subscribed. */
    public Connection awaitSubscribed(int index, Duration timeout) {
        waitFor(
                timeout,
                () -> connections.size() > index && connections.get(index).subscribed,
                "connection " + index + " to subscribe (connections so far: " + connections.size() + ")");
        return connections.get(index);
    }

    /** Waits until {@code connection} is closed. */
    public void awaitClosed(Connection connection, Duration timeout) {
        waitFor(timeout, connection::isClosed, "connection " + connection.index + " to close");
    }

    /** Waits until at least {@code n} connections were opened. */
    public void awaitConnections(int n, Duration timeout) {
        waitFor(timeout, () -> connections.size() >= n, n + " connections (so far: " + connections.size() + ")");
    }

    /** Called for each new connection (a greeting, or nothing). */
    protected abstract void onOpen(Connection connection);

    /** Called for each text frame a client sends: the provider's handshake. */
    protected abstract void onText(Connection connection, String frame);

    /** Called once a connection is closed, however it ended. */
    protected void onClosed(Connection connection) {}

    /** Waits for a condition in 10 ms steps; fails the test with {@code what} when it does not hold in time. */
    public static void waitFor(Duration timeout, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    @Override
    public void close() {
        try {
            server.stop(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Server extends WebSocketServer {
        private volatile boolean started;

        Server(InetSocketAddress address) {
            super(address);
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
            Connection connection = new Connection(connections.size(), conn);
            conn.setAttachment(connection);
            connections.add(connection);
            FakeStreamServer.this.onOpen(connection);
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {
            Connection connection = conn.getAttachment();
            if (connection != null) {
                connection.closeCode = code;
                connection.closedByClient = remote;
                connection.closed = true;
                FakeStreamServer.this.onClosed(connection);
            }
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
            Connection connection = conn.getAttachment();
            connection.received.add(message);
            FakeStreamServer.this.onText(connection, message);
        }

        @Override
        public void onError(WebSocket conn, Exception ex) {
            // A client that went away; recorded by onClose.
        }

        @Override
        public void onStart() {
            started = true;
        }
    }

    /** Frames joined as the elements of one JSON array frame. */
    public static String array(List<String> events) {
        return "[" + String.join(",", new ArrayList<>(events)) + "]";
    }
}
