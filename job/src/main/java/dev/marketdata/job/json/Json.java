package dev.marketdata.job.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Shared Jackson instances and the field readers every data set's {@link RecordJson} uses. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper();
    public static final JsonFactory FACTORY = MAPPER.getFactory();

    private Json() {}

    /** {@code record} as a compact JSON string. */
    public static <T> String toJson(RecordJson<T> format, T record) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator gen = FACTORY.createGenerator(out)) {
            format.write(record, gen);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + record + " as JSON", e);
        }
        return out.toString();
    }

    public static String requiredText(JsonNode node, String field) {
        JsonNode value = required(node, field);
        if (!value.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' must be a string, got " + value.getNodeType());
        }
        return value.textValue();
    }

    public static String optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' must be a string, got " + value.getNodeType());
        }
        return value.textValue();
    }

    public static double requiredDouble(JsonNode node, String field) {
        return number(required(node, field), field).doubleValue();
    }

    public static Double optionalDouble(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : number(value, field).doubleValue();
    }

    public static Long optionalLong(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.canConvertToExactIntegral() || !value.canConvertToLong()) {
            throw new IllegalArgumentException("field '" + field + "' must be an integer, got " + value);
        }
        return value.longValue();
    }

    public static Instant requiredInstant(JsonNode node, String field) {
        String text = requiredText(node, field);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("field '" + field + "' must be an RFC 3339 UTC time, got '" + text + "'");
        }
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

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing required field '" + field + "'");
        }
        return value;
    }

    private static JsonNode number(JsonNode value, String field) {
        if (!value.isNumber()) {
            throw new IllegalArgumentException("field '" + field + "' must be a number, got " + value.getNodeType());
        }
        return value;
    }
}
