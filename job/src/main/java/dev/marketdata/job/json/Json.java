package dev.marketdata.job.json;

import static dev.marketdata.job.json.JsonFieldException.MISSING_FIELD;
import static dev.marketdata.job.json.JsonFieldException.WRONG_TYPE;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Shared Jackson instances and the field readers and writers every data set's {@link RecordJson} uses. Readers
 * throw {@link JsonFieldException} naming the field, with reason {@code MISSING_FIELD} or {@code WRONG_TYPE}.
 * Absent and {@code null} are the same: a required field may be neither, an optional one may be either.
 */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper();
    public static final JsonFactory FACTORY = MAPPER.getFactory();

    /**
     * Reads untrusted input: one JSON document and nothing after it, no field twice (which of two values would
     * count is anybody's guess).
     */
    public static final ObjectReader STRICT_READER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build()
            .reader();

    /** An RFC 3339 time whose seconds are 60, in any offset (the parser would fold it into :59, or refuse it). */
    private static final Pattern LEAP_SECOND = Pattern.compile(
            "[+-]?\\d{4,}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:60(\\.\\d*)?(Z|[+-]\\d{2}(:?\\d{2}){0,2})",
            Pattern.CASE_INSENSITIVE);

    private Json() {}

    /**
     * {@code record} as a compact JSON string, with every unpaired surrogate written as a {@code \\uXXXX} escape:
     * the same JSON value, and text that UTF-8 (files, Kafka, PostgreSQL) can carry unchanged.
     */
    public static <T> String toJson(RecordJson<T> format, T record) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator gen = FACTORY.createGenerator(out)) {
            format.write(record, gen);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + record + " as JSON", e);
        }
        return escapeUnpairedSurrogates(out.toString());
    }

    /**
     * JSON text with each unpaired surrogate written as a {@code \\uXXXX} escape: in JSON text a surrogate can only
     * stand inside a string, where the escape means the same character.
     */
    public static String escapeUnpairedSurrogates(String json) {
        StringBuilder out = null;
        int n = json.length();
        for (int i = 0; i < n; i++) {
            char c = json.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(json.charAt(i + 1));
            if (paired) {
                if (out != null) {
                    out.append(c).append(json.charAt(i + 1));
                }
                i++;
            } else if (Character.isSurrogate(c)) {
                if (out == null) {
                    out = new StringBuilder(n + 16).append(json, 0, i);
                }
                out.append(String.format("\\u%04x", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? json : out.toString();
    }

    public static String requiredText(JsonNode node, String field) {
        return text(required(node, field), field);
    }

    public static String optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : text(value, field);
    }

    public static double requiredDouble(JsonNode node, String field) {
        return number(required(node, field), field).doubleValue();
    }

    public static Double optionalDouble(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : number(value, field).doubleValue();
    }

    public static int requiredInt(JsonNode node, String field) {
        JsonNode value = required(node, field);
        if (!value.isNumber() || !value.canConvertToExactIntegral() || !value.canConvertToInt()) {
            throw wrongType(field, "a 32-bit integer", value);
        }
        return value.intValue();
    }

    public static Long optionalLong(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber() || !value.canConvertToExactIntegral() || !value.canConvertToLong()) {
            throw wrongType(field, "an integer", value);
        }
        return value.longValue();
    }

    public static Instant requiredInstant(JsonNode node, String field) {
        String text = requiredText(node, field);
        // Every leap second has ":60" in it: the other times (all but a handful) skip the matcher.
        if (text.contains(":60") && LEAP_SECOND.matcher(text).matches()) {
            throw new JsonFieldException(
                    JsonFieldException.LEAP_SECOND,
                    "field '" + field + "' names a leap second, " + "which a timestamp cannot hold: '" + text + "'");
        }
        try {
            return parseInstant(text);
        } catch (DateTimeParseException e) {
            throw new JsonFieldException(
                    WRONG_TYPE, "field '" + field + "' must be an RFC 3339 UTC time, got '" + text + "'");
        }
    }

    /**
     * {@link Instant#parse}, with a fast path for the form nearly every message has, {@code 2024-03-01T14:30:00Z}
     * (seconds, no fraction): read digit by digit, the date checked by {@link LocalDate#of}. Anything else, and
     * anything the fast path doubts, goes to {@link Instant#parse}, whose answer (or error) it is then.
     * {@code Instant.parse} costs about a microsecond a call, as much as the rest of a bar's JSON together.
     */
    public static Instant parseInstant(String text) {
        if (text.length() == 20
                && text.charAt(4) == '-'
                && text.charAt(7) == '-'
                && text.charAt(10) == 'T'
                && text.charAt(13) == ':'
                && text.charAt(16) == ':'
                && text.charAt(19) == 'Z') {
            int year = digits(text, 0, 4);
            int month = digits(text, 5, 7);
            int day = digits(text, 8, 10);
            int hour = digits(text, 11, 13);
            int minute = digits(text, 14, 16);
            int second = digits(text, 17, 19);
            if (year >= 0
                    && month >= 1
                    && month <= 12
                    && day >= 1
                    && day <= 31
                    && hour >= 0
                    && hour <= 23
                    && minute >= 0
                    && minute <= 59
                    && second >= 0
                    && second <= 59) {
                try {
                    long days = LocalDate.of(year, month, day).toEpochDay();
                    return Instant.ofEpochSecond(days * 86_400L + hour * 3_600L + minute * 60L + second);
                } catch (DateTimeException e) {
                    // no such day (February 30th): Instant.parse says so in its own words
                }
            }
        }
        return Instant.parse(text);
    }

    /** The decimal number in {@code text[from, to)}, or -1 when a character there is not an ASCII digit. */
    private static int digits(String text, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    public static LocalDate requiredDate(JsonNode node, String field) {
        return date(requiredText(node, field), field);
    }

    public static LocalDate optionalDate(JsonNode node, String field) {
        String text = optionalText(node, field);
        return text == null ? null : date(text, field);
    }

    /** A required array of strings (it may be empty; whether that is valid is the validator's business). */
    public static List<String> requiredTextList(JsonNode node, String field) {
        JsonNode value = required(node, field);
        if (!value.isArray()) {
            throw wrongType(field, "an array of strings", value);
        }
        List<String> list = new ArrayList<>(value.size());
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                throw wrongType(field, "an array of strings", value);
            }
            list.add(element.textValue());
        }
        return List.copyOf(list);
    }

    /** Writes a nullable number, as JSON null when absent. */
    public static void writeNumber(JsonGenerator out, String field, Double value) throws IOException {
        if (value == null) {
            out.writeNullField(field);
        } else {
            out.writeNumberField(field, value);
        }
    }

    public static void writeNumber(JsonGenerator out, String field, Long value) throws IOException {
        if (value == null) {
            out.writeNullField(field);
        } else {
            out.writeNumberField(field, value);
        }
    }

    /** Writes a time as RFC 3339 UTC text, or JSON null. */
    public static void writeInstant(JsonGenerator out, String field, Instant value) throws IOException {
        out.writeStringField(field, value == null ? null : value.toString());
    }

    /** Writes a date as {@code YYYY-MM-DD}, or JSON null. */
    public static void writeDate(JsonGenerator out, String field, LocalDate value) throws IOException {
        out.writeStringField(field, value == null ? null : value.toString());
    }

    public static void writeTextList(JsonGenerator out, String field, List<String> values) throws IOException {
        if (values == null) {
            out.writeNullField(field);
            return;
        }
        out.writeArrayFieldStart(field);
        for (String value : values) {
            out.writeString(value);
        }
        out.writeEndArray();
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new JsonFieldException(MISSING_FIELD, "missing required field '" + field + "'");
        }
        return value;
    }

    private static String text(JsonNode value, String field) {
        if (!value.isTextual()) {
            throw new JsonFieldException(
                    WRONG_TYPE, "field '" + field + "' must be a string, got " + value.getNodeType());
        }
        return value.textValue();
    }

    private static JsonNode number(JsonNode value, String field) {
        if (!value.isNumber()) {
            throw new JsonFieldException(
                    WRONG_TYPE, "field '" + field + "' must be a number, got " + value.getNodeType());
        }
        return value;
    }

    private static LocalDate date(String text, String field) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new JsonFieldException(
                    WRONG_TYPE, "field '" + field + "' must be a date (YYYY-MM-DD), got '" + text + "'");
        }
    }

    private static JsonFieldException wrongType(String field, String expected, JsonNode value) {
        return new JsonFieldException(WRONG_TYPE, "field '" + field + "' must be " + expected + ", got " + value);
    }
}
