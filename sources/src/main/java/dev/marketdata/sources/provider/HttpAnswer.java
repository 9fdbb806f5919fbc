package dev.marketdata.sources.provider;

import java.util.List;
import java.util.Map;

/**
 * A complete HTTP answer.
 *
 * @param status HTTP status
 * @param headers response headers
 * @param body the whole body
 */
record HttpAnswer(int status, Map<String, List<String>> headers, byte[] body) {

    boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
