package dev.marketdata.sources.provider;

import java.util.List;

/**
 * The enumerator's checkpoint.
 *
 * @param lookedUp whether every ticker has been looked up (then {@code pending} holds all splits not yet handed
 *     out, and no lookup is sent again after a restore); false before, and then {@code pending} is empty
 * @param pending splits not yet assigned to a reader, or given back by a failed one
 */
public record ProviderEnumeratorState(boolean lookedUp, List<ProviderSplit> pending) {

    public ProviderEnumeratorState {
        pending = List.copyOf(pending);
    }
}
