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
}
