package dev.marketdata.job.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void portsAreBelowTheEphemeralRangeBindableAndNeverHandedOutTwice() throws Exception {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int first = FreePorts.takeRange(3);
            for (int port = first; port < first + 3; port++) {
                assertThat(port).isBetween(15_000, FreePorts.ephemeralRangeStart() - 1);
                assertThat(seen.add(port)).as("port %d twice", port).isTrue();
                try (ServerSocket server = new ServerSocket()) {
                    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                }
            }
        }
    }

    @Test
    void aPortSomeoneListensOnIsSkipped() throws Exception {
        int first = FreePorts.takeRange(2);
        try (ServerSocket held = new ServerSocket()) {
            held.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), first + 3));
            // The cursor is now at first + 2: a range of two starting there would include the held port.
            int next = FreePorts.takeRange(2);
            assertThat(next).isNotIn(first + 2, first + 3);
        }
    }
}
