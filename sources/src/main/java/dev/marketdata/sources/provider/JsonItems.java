package dev.marketdata.sources.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Reads the items of a paged JSON answer the way every page protocol does: the body must be a JSON object; its item
 * array (or object of items keyed by symbol) absent or {@code null} is an empty page; an item the protocol's reader
 * refuses ({@link ItemRejection}) is dead-lettered with its text exactly as received ({@link RawItems}); the next
 * cursor is a string field, absent, {@code null} or empty on the last page. Plus the typed field readers the
 * protocols share, each throwing {@link ItemRejection} with {@code MISSING_FIELD} or {@code WRONG_TYPE}.
 */
public final class JsonItems {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonItems() {}

    /**
     * The body as a JSON object.
     *
     * @throws PayloadException when it is not JSON, or not an object
     */
    public static JsonNode object(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new PayloadException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new PayloadException("not JSON: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw new PayloadException("the body is empty");
        }
        if (!root.isObject()) {
            throw new PayloadException("the body is a JSON " + root.getNodeType() + ", not an object");
        }
        return root;
    }

    /**
     * A page from the array {@code field} of {@code body}, each element read by {@code reader}, and the next cursor
     * from the string field {@code cursorField}.
     *
     * @throws PayloadException when the body is not a JSON object or {@code field} is neither an array nor null
     */
    public static <T> Page<T> page(byte[] body, String field, String cursorField, Function<JsonNode, T> reader) {
        JsonNode root = object(body);
        JsonNode items = root.get(field);
        List<T> records = new ArrayList<>();
        List<RejectedItem> rejects = new ArrayList<>();
        if (items != null && !items.isNull()) {
            if (!items.isArray()) {
                throw new PayloadException(field + " is a JSON " + items.getNodeType() + ", not an array");
            }
            List<String> raws = null;
            for (int i = 0; i < items.size(); i++) {
                JsonNode item = items.get(i);
                try {
                    records.add(reader.apply(item));
                } catch (ItemRejection e) {
                    if (raws == null) {
                        raws = RawItems.of(body, field);
                    }
                    String raw = raws.size() == items.size() ? raws.get(i) : item.toString();
                    rejects.add(new RejectedItem(raw, e.reason(), e.getMessage()));
                }
            }
        }
        return new Page<>(records, rejects, cursor(root, cursorField));
    }

    /**
     * A page from the object {@code field} of {@code body} whose members are items keyed by a name (Alpaca's
     * snapshots by contract symbol), each read by {@code reader} with its name. A rejected member is dead-lettered
     * as {@code {"<name>":<value>}}, both as received.
     */
    public static <T> Page<T> keyedPage(
            byte[] body, String field, String cursorField, BiFunction<String, JsonNode, T> reader) {
        JsonNode root = object(body);
        JsonNode items = root.get(field);
        List<T> records = new ArrayList<>();
        List<RejectedItem> rejects = new ArrayList<>();
        if (items != null && !items.isNull()) {
            if (!items.isObject()) {
                throw new PayloadException(field + " is a JSON " + items.getNodeType() + ", not an object");
            }
            Map<String, String> raws = null;
            for (Iterator<Map.Entry<String, JsonNode>> it = items.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> member = it.next();
                try {
                    records.add(reader.apply(member.getKey(), member.getValue()));
                } catch (ItemRejection e) {
                    if (raws == null) {
                        raws = RawItems.members(body, field);
                    }
                    String raw = raws.getOrDefault(member.getKey(), quote(member.getKey()) + ":" + member.getValue());
                    rejects.add(new RejectedItem("{" + raw + "}", e.reason(), e.getMessage()));
                }
            }
        }
        return new Page<>(records, rejects, cursor(root, cursorField));
    }

    private static String quote(String name) {
        try {
            return JSON.writeValueAsString(name);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<String> cursor(JsonNode root, String field) {
        JsonNode next = root.get(field);
        return next == null || next.isNull() || next.asText().isEmpty() ? Optional.empty() : Optional.of(next.asText());
    }

    /** {@code item} itself, which must be a JSON object. */
    public static JsonNode objectItem(JsonNode item, String what) {
        if (!item.isObject()) {
            throw ItemRejection.wrongType(what + " is a JSON " + item.getNodeType());
        }
        return item;
    }

    /** The object {@code field} of {@code item}, or null when absent or {@code null} and not required. */
    public static JsonNode object(JsonNode item, String field, boolean required) {
        JsonNode value = present(item, field, required);
        if (value != null && !value.isObject()) {
            throw ItemRejection.wrongType(field + " is not an object: " + value);
        }
        return value;
    }

    /** The string {@code field} of {@code item} as sent, or null when absent or {@code null} and not required. */
    public static String text(JsonNode item, String field, boolean required) {
        JsonNode value = present(item, field, required);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw ItemRejection.wrongType(field + " is not a string: " + value);
        }
        return value.asText();
    }

    /** The number {@code field} of {@code item}, or null when absent or {@code null} and not required. */
    public static Double number(JsonNode item, String field, boolean required) {
        JsonNode value = present(item, field, required);
        if (value == null) {
            return null;
        }
        if (!value.isNumber()) {
            throw ItemRejection.wrongType(field + " is not a number: " + value);
        }
        return value.asDouble();
    }

    /**
     * The integer {@code field} of {@code item} (written without a fraction or exponent, so that a nanosecond time
     * is never rounded through a double), or null when absent or {@code null} and not required.
     */
    public static Long integer(JsonNode item, String field, boolean required) {
        JsonNode value = present(item, field, required);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw ItemRejection.wrongType(field + " is not an integer: " + value);
        }
        return value.asLong();
    }

    /** The {@code YYYY-MM-DD} date {@code field} of {@code item}, or null when absent and not required. */
    public static LocalDate date(JsonNode item, String field, boolean required) {
        String text = text(item, field, required);
        if (text == null) {
            return null;
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw ItemRejection.wrongType(field + " is not a YYYY-MM-DD date: " + text);
        }
    }

    /** The RFC 3339 time {@code field} of {@code item} (any offset, up to nine fractional digits). */
    public static Instant rfc3339(JsonNode item, String field) {
        String text = text(item, field, true);
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw ItemRejection.wrongType(field + " is not an RFC 3339 time: " + text);
        }
    }

    /** A non-empty array of strings, as sent. */
    public static List<String> strings(JsonNode item, String field) {
        JsonNode value = present(item, field, true);
        if (!value.isArray() || value.isEmpty()) {
            throw ItemRejection.wrongType(field + " is not a non-empty array: " + value);
        }
        List<String> list = new ArrayList<>();
        for (JsonNode s : value) {
            if (!s.isTextual()) {
                throw ItemRejection.wrongType(field + " holds a non-string: " + s);
            }
            list.add(s.asText());
        }
        return List.copyOf(list);
    }

    private static JsonNode present(JsonNode item, String field, boolean required) {
        JsonNode value = item.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw ItemRejection.missing(field);
            }
            return null;
        }
        return value;
    }
}
