package dev.marketdata.sources.provider;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text of each element of a top-level array field (or of each member of a top-level object field) exactly as
 * received, so that a dead letter keeps the provider's own text (e.g. {@code 1.029145e+06}) and not a
 * re-serialization.
 */
public final class RawItems {

    private static final JsonFactory JSON = new JsonFactory();

    private RawItems() {}

    /**
     * The elements of the array {@code field} of the JSON object {@code body}, as text; empty when the body has no
     * such array or does not parse (the caller then falls back to its re-serialized items).
     */
    public static List<String> of(byte[] body, String field) {
        List<String> raws = new ArrayList<>();
        scan(
                body,
                field,
                JsonToken.START_ARRAY,
                (parser, text) -> {
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        int start = (int) parser.currentTokenLocation().getCharOffset();
                        parser.skipChildren();
                        raws.add(text.substring(
                                start, (int) parser.currentLocation().getCharOffset()));
                    }
                },
                raws::clear);
        return raws;
    }

    /**
     * The members of the object {@code field} of the JSON object {@code body}, each as its text {@code "name":value}
     * exactly as received, by name; empty when the body has no such object or does not parse.
     */
    public static Map<String, String> members(byte[] body, String field) {
        Map<String, String> raws = new LinkedHashMap<>();
        scan(
                body,
                field,
                JsonToken.START_OBJECT,
                (parser, text) -> {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        int start = (int) parser.currentTokenLocation().getCharOffset();
                        String member = parser.currentName();
                        parser.nextToken();
                        parser.skipChildren();
                        raws.put(member, text.substring(start, (int)
                                parser.currentLocation().getCharOffset()));
                    }
                },
                raws::clear);
        return raws;
    }

    /** What to do with the parser standing on the start of the field's value. */
    private interface Reader {
        void read(JsonParser parser, String text) throws IOException;
    }

    /**
     * Finds the top-level {@code field} whose value starts with {@code start} and reads it; runs {@code unreadable}
     * when the body does not parse.
     */
    private static void scan(byte[] body, String field, JsonToken start, Reader reader, Runnable unreadable) {
        String text = new String(body, StandardCharsets.UTF_8);
        try (JsonParser parser = JSON.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                if (parser.nextToken() == start && field.equals(name)) {
                    reader.read(parser, text);
                    return;
                }
                parser.skipChildren();
            }
        } catch (IOException | RuntimeException e) {
            unreadable.run();
        }
    }
}
