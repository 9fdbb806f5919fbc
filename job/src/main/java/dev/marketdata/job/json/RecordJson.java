package dev.marketdata.job.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Serializable;

/**
 * A data set's JSON wire format, shared by Kafka values, dead-letter records and replay, so a record that left
 * through the dead-letter queue reads back exactly as it came in.
 */
public interface RecordJson<T> extends Serializable {

    void write(T record, JsonGenerator out) throws IOException;

    /** Parses one record; throws {@link IllegalArgumentException} naming the field that is missing or wrong. */
    T read(JsonNode node);

    /**
     * The record in {@code value} read in one pass of Jackson's streaming parser, without a tree, when the value is
     * plainly such a record; null whenever anything is unusual (not JSON, a field missing, twice, unknown, of
     * another type, a number written otherwise than the fast path reads it, text after the object). The caller
     * then parses the tree with {@link #read(JsonNode)}, which accepts or refuses it with the reason: so a
     * non-null result must be exactly what the tree would give. The default reads nothing this way.
     */
    default T readFast(byte[] value) {
        return null;
    }
}
