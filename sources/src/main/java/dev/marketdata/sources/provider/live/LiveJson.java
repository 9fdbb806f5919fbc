package dev.marketdata.sources.provider.live;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marketdata.sources.provider.RejectedItem;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** Reading and writing the JSON of stream frames, shared by the providers' {@link LiveSession}s. */
public final class LiveJson {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private LiveJson() {}

    /** A field of an event that is missing or of the wrong type: the event is dead-lettered with the reason. */
    public static final class BadEvent extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String reason;

        public BadEvent(String reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    /**
     * The events of a frame that is a JSON array (Polygon and Alpaca send nothing else).
     *
     * @return empty when the frame is not a JSON array
     */
    public static Optional<JsonNode> array(String frame) {
        try {
            JsonNode root = JSON.readTree(frame);
            return root != null && root.isArray() ? Optional.of(root) : Optional.empty();
        } catch (IOException notJson) {
            return Optional.empty();
        }
    }

    /** The frame as a JSON tree, or empty when it is not JSON. */
    public static Optional<JsonNode> tree(String frame) {
        try {
            return Optional.ofNullable(JSON.readTree(frame));
        } catch (IOException notJson) {
            return Optional.empty();
        }
    }

    /** The malformed-frame event of a whole frame. */
    public static LiveEvent.Malformed notAnArray(String frame) {
        return new LiveEvent.Malformed(
                null, frame, RejectedItem.MALFORMED_BODY, "a stream frame that is not a JSON array of events");
    }

    public static String text(JsonNode event, String field) {
        JsonNode value = event.get(field);
        if (value == null || value.isNull()) {
            throw new BadEvent(RejectedItem.MISSING_FIELD, "required field " + field + " is missing");
        }
        if (!value.isTextual()) {
            throw new BadEvent(RejectedItem.WRONG_TYPE, field + " is not a string: " + value);
        }
        return value.asText();
    }

    public static double number(JsonNode event, String field) {
        JsonNode value = event.get(field);
        if (value == null || value.isNull()) {
            throw new BadEvent(RejectedItem.MISSING_FIELD, "required field " + field + " is missing");
        }
        if (!value.isNumber()) {
            throw new BadEvent(RejectedItem.WRONG_TYPE, field + " is not a number: " + value);
        }
        return value.asDouble();
    }

    public static Double optionalNumber(JsonNode event, String field) {
        JsonNode value = event.get(field);
        return value == null || value.isNull() ? null : number(event, field);
    }

    public static long integer(JsonNode event, String field) {
        JsonNode value = event.get(field);
        if (value == null || value.isNull()) {
            throw new BadEvent(RejectedItem.MISSING_FIELD, "required field " + field + " is missing");
        }
        if (!value.isNumber() || !value.canConvertToExactIntegral()) {
            throw new BadEvent(RejectedItem.WRONG_TYPE, field + " is not an integer: " + value);
        }
        return value.asLong();
    }

    public static Long optionalInteger(JsonNode event, String field) {
        JsonNode value = event.get(field);
        return value == null || value.isNull() ? null : integer(event, field);
    }

    /** A JSON object with the given string fields, in order (for the frames a session sends). */
    public static String object(String... namesAndValues) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            node.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return node.toString();
    }

    /** A JSON object with string fields and string-array fields. */
    public static ObjectNode objectNode() {
        return JsonNodeFactory.instance.objectNode();
    }

    public static String arrayOf(List<String> values) {
        return JSON.valueToTree(values).toString();
    }
}
