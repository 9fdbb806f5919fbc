package dev.marketdata.sources.provider.live;

import java.util.List;

/**
 * One frame of a provider's stream, read.
 *
 * @param events what it said, in order
 * @param replies text frames to send back at once (auth after the greeting, subscribe after the auth)
 */
public record LiveFrame(List<LiveEvent> events, List<String> replies) {

    public LiveFrame {
        events = List.copyOf(events);
        replies = List.copyOf(replies);
    }

    public static LiveFrame of(List<LiveEvent> events) {
        return new LiveFrame(events, List.of());
    }
}
